import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/app-config.js';
import { AccessTokenError } from '../../src/modules/platform/access/access-token.js';
import { AccessTokenVerifier } from '../../src/modules/platform/access/access-token.verifier.js';
import { Role } from '../../src/domain/roles.js';
import { testAuthEnvironment, tokenFor } from '../support/test-tokens.js';

/** The verifier remembers tokens it has verified, but never past their expiry. */
describe('verified access tokens', () => {
  const verifier = new AccessTokenVerifier(loadConfig({ NODE_ENV: 'test', ...testAuthEnvironment, AUTH_CLOCK_TOLERANCE_SECONDS: '0' }));

  it('answer a repeated token as first verified, and refuse it once it has expired', async () => {
    const token = await tokenFor(Role.ContactHandler, 'pc-cache', { ttlSeconds: 2 });
    const expected = { subject: 'pc-cache', roles: [Role.ContactHandler], expiresAtMs: expect.any(Number) };
    const first = await verifier.verify(token);
    expect(first).toEqual(expected);
    // The token's expiry, which ends an alert stream opened with it.
    expect(first.expiresAtMs! - Date.now()).toBeGreaterThan(0);
    expect(first.expiresAtMs! - Date.now()).toBeLessThanOrEqual(2_000);
    expect(await verifier.verify(token)).toEqual(expected);
    // The token carries exp = iat + 2 s, in whole seconds: past it, a remembered token is refused too.
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(AccessTokenError);
  });

  it('still refuse a token that failed, every time', async () => {
    const token = await tokenFor(Role.ContactHandler, 'pc-cache', { audience: 'another-api' });
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(AccessTokenError);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(AccessTokenError);
  });
});
