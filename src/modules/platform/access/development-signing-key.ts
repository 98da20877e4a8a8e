import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export const DEVELOPMENT_ALGORITHM = 'ES256';

export interface DevelopmentSigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The signing key of the embedded (non-production) configuration. It is made on first use for one
 * data directory and kept there (mode 600), never committed: a published key would let anyone mint
 * tokens for any installation that forgot to configure its identity provider.
 */
export async function loadOrCreateDevelopmentSigningKey(keyFile: string): Promise<DevelopmentSigningKey> {
  try {
    return fromStored(JSON.parse(await readFile(keyFile, 'utf8')) as { kid: string; privateJwk: JWK });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(DEVELOPMENT_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  await mkdir(dirname(keyFile), { recursive: true });
  try {
    await writeFile(keyFile, JSON.stringify({ kid, privateJwk }), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevelopmentSigningKey(keyFile);
    throw error;
  }
  return fromStored({ kid, privateJwk });
}

function fromStored({ kid, privateJwk }: { kid: string; privateJwk: JWK }): DevelopmentSigningKey {
  const { d: _private, ...publicJwk } = privateJwk;
  return { kid, privateJwk, publicJwk: { ...publicJwk, kid, alg: DEVELOPMENT_ALGORITHM, use: 'sig' } };
}
