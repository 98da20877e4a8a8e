import { Inject, Injectable } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { type AppConfig } from '../../../config/app-config.js';
import { APP_CONFIG } from '../../../config/config.module.js';
import { AccessTokenError, type Actor, rejectionOf } from './access-token.js';
import { loadOrCreateDevelopmentSigningKey } from './development-signing-key.js';
import { isRole } from '../../../domain/roles.js';

/**
 * Verifies bearer tokens as an OIDC identity provider issues them: signature against the configured
 * keys (a JWKS URL, an inline JWKS, or the development key), an algorithm allow-list, and the
 * exp, nbf, iss and aud claims.
 */
/** Tokens verified lately, and for how long: a client sends the same token with every request. */
const VERIFIED_CACHE_SIZE = 10_000;
/** A verified token is checked again after this long, whatever its expiry, so a key withdrawn from the JWKS stops working soon. */
const VERIFIED_CACHE_TTL_MS = 60_000;

@Injectable()
export class AccessTokenVerifier {
  private keySet?: Promise<JWTVerifyGetKey>;
  /** Least recently used first (a Map keeps insertion order; a hit is moved to the end). */
  private readonly verified = new Map<string, { actor: Actor; untilMs: number }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * The token's actor. A token verified in the last minute, and not expired since, is answered from
   * memory: the signature covers the token's exact text, so the same text verifies the same way.
   */
  async verify(token: string): Promise<Actor> {
    const now = Date.now();
    const hit = this.verified.get(token);
    if (hit) {
      this.verified.delete(token);
      if (hit.untilMs > now) {
        this.verified.set(token, hit);
        return hit.actor;
      }
    }
    const { actor, expiresAtSeconds } = await this.verifySignedToken(token);
    const untilMs = Math.min(now + VERIFIED_CACHE_TTL_MS, (expiresAtSeconds + this.config.auth.clockToleranceSeconds) * 1000);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { actor, untilMs });
    return actor;
  }

  private async verifySignedToken(token: string): Promise<{ actor: Actor; expiresAtSeconds: number }> {
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
      return { actor: { subject: payload.sub!, roles: names.filter(isRole), expiresAtMs: payload.exp! * 1_000 }, expiresAtSeconds: payload.exp! };
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
