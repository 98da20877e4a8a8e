import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AccessTokenError, type Actor, rejectionOf } from './access-token.js';
import { loadOrCreateDevelopmentSigningKey } from './development-signing-key.js';
import { isRole } from './roles.js';

/**
 * Verifies bearer tokens as an OIDC identity provider issues them: signature against the configured
 * keys (a JWKS URL, an inline JWKS, or the development key), an algorithm allow-list, and the
 * exp, nbf, iss and aud claims.
 */
@Injectable()
export class AccessTokenVerifier {
  private keySet?: Promise<JWTVerifyGetKey>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async verify(token: string): Promise<Actor> {
    const { auth } = this.config;
    try {
      const { payload } = await jwtVerify(token, await this.keys(), {
        issuer: auth.issuer,
        audience: auth.audience,
        algorithms: auth.algorithms,
        clockTolerance: auth.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      const claimed = payload[auth.rolesClaim];
      const names = Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(/[\s,]+/) : [];
      return { subject: payload.sub!, roles: names.filter(isRole) };
    } catch (error) {
      throw rejectionOf(error);
    }
  }

  private keys(): Promise<JWTVerifyGetKey> {
    this.keySet ??= this.loadKeys();
    return this.keySet;
  }

  private async loadKeys(): Promise<JWTVerifyGetKey> {
    const source = this.config.auth.keys;
    switch (source.kind) {
      case 'jwks-url':
        return createRemoteJWKSet(new URL(source.url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
      case 'jwks':
        return createLocalJWKSet(source.jwks);
      case 'development': {
        const key = await loadOrCreateDevelopmentSigningKey(source.keyFile);
        return createLocalJWKSet({ keys: [key.publicJwk] });
      }
    }
  }
}

export { AccessTokenError };
