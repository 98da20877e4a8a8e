import { parseArgs } from 'node:util';
import { loadConfig } from '../config/app-config.js';
import { signAccessToken } from '../modules/platform/access/access-token.js';
import { DEVELOPMENT_ALGORITHM, loadOrCreateDevelopmentSigningKey } from '../modules/platform/access/development-signing-key.js';
import { allRoles, isRole } from '../domain/roles.js';

/**
 * Prints an access token for local use, signed by the development key of this data directory:
 *   npm run token -- --role team-leader --sub pc-1234 [--role auditor] [--ttl 28800]
 * It refuses whenever the API trusts a real identity provider.
 */
function usage(message: string): never {
  console.error(`${message}\nusage: npm run token -- --role <role> [--role <role>] --sub <subject> [--ttl <seconds>]\nroles: ${allRoles.join(', ')}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { role: { type: 'string', multiple: true }, sub: { type: 'string' }, ttl: { type: 'string', default: '28800' } },
  strict: true,
});
const roles = (values.role ?? []).flatMap((value) => value.split(','));
if (roles.length === 0) usage('--role is required');
const unknown = roles.filter((role) => !isRole(role));
if (unknown.length > 0) usage(`unknown role ${unknown.join(', ')}`);
if (!values.sub) usage('--sub is required (the staff member, for example pc-1234)');
const ttlSeconds = Number(values.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) usage('--ttl must be a whole number of seconds');

// Minting a token with the development key is a development tool by name.
process.env.NODE_ENV ??= 'development';
const config = loadConfig();
if (config.auth.keys.kind !== 'development') {
  usage('This API trusts an identity provider (AUTH_JWKS_URL or AUTH_JWKS): get tokens from it, not from here');
}
const key = await loadOrCreateDevelopmentSigningKey(config.auth.keys.keyFile);
const token = await signAccessToken(
  { privateJwk: key.privateJwk, kid: key.kid, alg: DEVELOPMENT_ALGORITHM },
  { subject: values.sub, roles: roles.filter(isRole), issuer: config.auth.issuer, audience: config.auth.audience, ttlSeconds },
);
process.stdout.write(`${token}\n`);
