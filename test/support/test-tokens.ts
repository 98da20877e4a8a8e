import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { signAccessToken } from '../../src/modules/platform/access/access-token.js';
import { type Role } from '../../src/domain/roles.js';

/** The identity provider the test suites trust: one ES256 key, published as an inline JWKS. */
export const TEST_ISSUER = 'https://idp.test.police.example';
export const TEST_AUDIENCE = 'police-contact-api';

async function makeKey(): Promise<{ privateJwk: JWK; publicJwk: JWK; kid: string }> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(privateJwk);
  const { d: _d, ...publicJwk } = privateJwk;
  return { privateJwk, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' }, kid };
}

const trusted = await makeKey();
const stranger = await makeKey();

/** Configuration that makes the API trust the test identity provider. */
export const testAuthEnvironment = {
  AUTH_JWKS: JSON.stringify({ keys: [trusted.publicJwk] }),
  AUTH_ISSUER: TEST_ISSUER,
  AUTH_AUDIENCE: TEST_AUDIENCE,
};

export function tokenFor(roles: Role | Role[], subject = 'pc-1234', overrides: { ttlSeconds?: number; audience?: string; issuer?: string } = {}): Promise<string> {
  return signAccessToken(
    { privateJwk: trusted.privateJwk, kid: trusted.kid, alg: 'ES256' },
    {
      subject,
      roles: Array.isArray(roles) ? roles : [roles],
      issuer: overrides.issuer ?? TEST_ISSUER,
      audience: overrides.audience ?? TEST_AUDIENCE,
      ttlSeconds: overrides.ttlSeconds ?? 600,
    },
  );
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (role: Role) => ({
  sub: 'pc-6666',
  roles: [role],
  iss: TEST_ISSUER,
  aud: TEST_AUDIENCE,
  iat: Math.floor(Date.now() / 1000),
  exp: Math.floor(Date.now() / 1000) + 600,
});

/** Tokens an attacker or a broken client might send; each must get 401. */
export async function hostileTokens(role: Role): Promise<Record<string, string>> {
  const expired = await new SignJWT({ roles: [role] })
    .setProtectedHeader({ alg: 'ES256', kid: trusted.kid })
    .setSubject('pc-6666')
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
    .sign(await importJWK(trusted.privateJwk, 'ES256'));
  const unsignedBody = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims(role))}`;
  const hmacBody = `${base64url({ alg: 'HS256', typ: 'JWT', kid: trusted.kid })}.${base64url(claims(role))}`;
  const hmacWithPublicKey = createHmac('sha256', JSON.stringify(trusted.publicJwk)).update(hmacBody).digest('base64url');
  const forged = await signAccessToken(
    { privateJwk: stranger.privateJwk, kid: trusted.kid, alg: 'ES256' },
    { subject: 'pc-6666', roles: [role], issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 600 },
  );
  return {
    expired,
    'wrong audience': await tokenFor(role, 'pc-6666', { audience: 'another-api' }),
    'wrong issuer': await tokenFor(role, 'pc-6666', { issuer: 'https://idp.elsewhere.example' }),
    'alg none': `${unsignedBody}.`,
    'HS256 keyed with the public key': `${hmacBody}.${hmacWithPublicKey}`,
    'signed by an unknown key': forged,
    garbage: 'not-a-jwt',
  };
}
