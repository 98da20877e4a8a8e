import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Request } from 'express';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AccessTokenError } from '../../modules/platform/access/access-token.js';
import { AccessTokenVerifier } from '../../modules/platform/access/access-token.verifier.js';
import { grantingRole, type Permission } from '../../domain/permissions.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';
import {
  type AuthenticatedRequest,
  PUBLIC_ROUTE,
  RATE_LIMIT_BUCKET,
  type RateLimitBucket,
  REQUIRED_PERMISSION,
} from './access.decorators.js';
import { RequestLimits } from './rate-limiter.js';

/**
 * Every route passes here (a global guard). Public routes go through; every other route needs a
 * bearer token that verifies and a role that grants the route's permission. A route that declares
 * neither is refused: access fails closed. Every denial is logged.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly limits: RequestLimits,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private hit(key: string, limitPerMinute: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    return this.limits.hit(key, limitPerMinute);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & AuthenticatedRequest>();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(REQUIRED_PERMISSION, targets);
    const route = `${request.method} ${request.baseUrl}${(request.route as { path?: string } | undefined)?.path ?? ''}`;

    const header = request.headers.authorization;
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    let actor;
    try {
      if (!token) throw new AccessTokenError('missing', 'A bearer token is required (Authorization: Bearer <token>)');
      actor = await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof AccessTokenError)) throw error;
      // Failed attempts are limited per client address. A valid token always passes, so that one
      // broken client behind a control room's shared address cannot lock out everyone else.
      const failures = await this.hit(`auth-failures:${request.ip ?? 'unknown'}`, this.config.rateLimits.authFailuresPerMinute);
      if (!failures.allowed) {
        throw this.deny(DomainErrorCode.RateLimited, 'Too many failed attempts to authenticate from this address', route, {
          reason: error.reason,
          retryAfter: failures.retryAfterSeconds,
        });
      }
      throw this.deny(DomainErrorCode.Unauthenticated, error.message, route, { reason: error.reason });
    }

    if (!permission) {
      throw this.deny(DomainErrorCode.Forbidden, 'This route declares no permission, so it is closed', route, { subject: actor.subject });
    }
    const role = grantingRole(actor.roles, permission);
    if (!role) {
      throw this.deny(DomainErrorCode.Forbidden, `Missing permission ${permission}: none of your roles (${actor.roles.join(', ') || 'none recognised'}) grants it`, route, {
        subject: actor.subject,
        permission,
      });
    }

    const bucket = this.reflector.getAllAndOverride<RateLimitBucket | undefined>(RATE_LIMIT_BUCKET, targets);
    if (bucket) {
      const limit = this.config.rateLimits.intakePerMinute;
      const used = await this.hit(`${bucket}:${actor.subject}`, limit);
      if (!used.allowed) {
        throw this.deny(DomainErrorCode.RateLimited, `Rate limit of ${limit} a minute reached`, route, { subject: actor.subject, retryAfter: used.retryAfterSeconds });
      }
    }

    request.actor = { ...actor, role };
    return true;
  }

  private deny(
    code: DomainErrorCode,
    message: string,
    route: string,
    details: { reason?: string; subject?: string; permission?: string; retryAfter?: number },
  ): DomainError {
    this.logger.pino.warn({ context: 'Access', code, route, ...details }, 'access denied');
    const headers: Record<string, string> = {};
    if (code === DomainErrorCode.Unauthenticated) headers['WWW-Authenticate'] = `Bearer realm="police-contact", error="invalid_token"`;
    if (details.retryAfter) headers['Retry-After'] = String(details.retryAfter);
    const refusal = new DomainError(code, message, [], headers);
    refusal.securityLogged = true;
    return refusal;
  }
}
