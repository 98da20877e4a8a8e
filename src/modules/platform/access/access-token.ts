import { errors, importJWK, type JWK, SignJWT } from 'jose';
import { type Role } from '../../../domain/roles.js';

/** The authenticated person behind a request: their identity-provider subject and their roles. */
export interface Actor {
  subject: string;
  roles: Role[];
  /** When the token that made this actor expires (ms since the epoch); absent for the system's own actors. */
  expiresAtMs?: number;
}

export type TokenRejection =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'bad-signature'
  | 'missing-claim';

export class AccessTokenError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

/** Turns jose's many error classes into the reasons we log and answer with. */
export function rejectionOf(error: unknown): AccessTokenError {
  if (error instanceof AccessTokenError) return error;
  if (error instanceof errors.JWTExpired) return new AccessTokenError('expired', 'The token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new AccessTokenError('not-yet-valid', 'The token is not valid yet');
    if (error.claim === 'iss') return new AccessTokenError('wrong-issuer', 'The token was issued by an issuer this API does not trust');
    if (error.claim === 'aud') return new AccessTokenError('wrong-audience', 'The token is not meant for this API');
    return new AccessTokenError('missing-claim', `The token's ${error.claim} claim is missing or invalid`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new AccessTokenError('algorithm-not-allowed', 'The token is signed with an algorithm this API does not accept');
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new AccessTokenError('unknown-key', 'The token is signed by a key this API does not know');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AccessTokenError('bad-signature', "The token's signature does not verify");
  }
  return new AccessTokenError('malformed', 'The token is not a well-formed signed JWT');
}

/** Signs a token as an identity provider would (used by the development token command and tests). */
export async function signAccessToken(
  key: { privateJwk: JWK; kid: string; alg: string },
  claims: { subject: string; roles: readonly Role[]; issuer: string; audience: string; ttlSeconds: number; rolesClaim?: string },
): Promise<string> {
  return new SignJWT({ [claims.rolesClaim ?? 'roles']: [...claims.roles] })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${claims.ttlSeconds}s`)
    .sign(await importJWK(key.privateJwk, key.alg));
}
