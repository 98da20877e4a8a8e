import { type CanActivate, type ExecutionContext, Inject, Injectable, type RawBodyRequest } from '@nestjs/common';
import { type Request } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Role } from '../../domain/roles.js';
import { PLATFORM_SIGNATURE_HEADER } from '../../modules/conversations/platform-adapter.service.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';
import { type AuthenticatedRequest } from '../access/access.decorators.js';
import { RequestLimits } from '../access/rate-limiter.js';

/** How old a signed webhook may be: a captured one cannot be replayed later than this. */
const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Lets a platform's webhook in when it is signed with the key shared with connectors:
 * `x-platform-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, at most five
 * minutes old. The caller is then the channel's connector (role `channel-connector`). Runs before
 * the body is validated, so an unsigned caller learns nothing about what the route takes.
 */
@Injectable()
export class PlatformSignatureGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: AppLogger,
    private readonly limits: RequestLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request> & AuthenticatedRequest>();
    const route = `${request.method} ${request.baseUrl}${(request.route as { path?: string } | undefined)?.path ?? ''}`;
    // Limited like every route with a token: failed signatures per client address (as failed
    // tokens are), and each channel's signed messages as a connector's intakes.
    const refuse = async (reason: string, message: string) => {
      const failures = await this.limits.hit(`auth-failures:${request.ip ?? 'unknown'}`, this.config.rateLimits.authFailuresPerMinute);
      this.logger.pino.warn({ context: 'Access', code: failures.allowed ? DomainErrorCode.Unauthenticated : DomainErrorCode.RateLimited, route, reason }, 'access denied');
      const refusal = failures.allowed
        ? new DomainError(DomainErrorCode.Unauthenticated, message, [{ field: PLATFORM_SIGNATURE_HEADER, message: reason }], { 'WWW-Authenticate': 'Signature realm="police-contact-channels"' })
        : new DomainError(DomainErrorCode.RateLimited, 'Too many failed attempts to authenticate from this address', [], { 'Retry-After': String(failures.retryAfterSeconds) });
      refusal.securityLogged = true;
      return refusal;
    };
    const secret = this.config.channels.secret;
    if (!secret) throw await refuse('not-configured', 'Signed webhooks are not configured here (CHANNEL_PLATFORM_SECRET)');
    const header = request.headers[PLATFORM_SIGNATURE_HEADER];
    const parts = Object.fromEntries(
      String(header ?? '')
        .split(',')
        .map((part) => part.trim().split('=', 2) as [string, string]),
    );
    const timestamp = Number(parts.t);
    if (!/^\d{1,12}$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) throw await refuse('malformed', `The ${PLATFORM_SIGNATURE_HEADER} header must be t=<unix seconds>,v1=<hex HMAC-SHA256>`);
    if (Math.abs(Date.now() / 1_000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) throw await refuse('stale', 'The signature is more than five minutes from now');
    const body = request.rawBody ?? Buffer.alloc(0);
    const expected = createHmac('sha256', secret).update(`${parts.t}.`).update(body).digest();
    if (!timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'))) throw await refuse('mismatch', 'The signature does not match the body');
    const channel = String(request.params.channel ?? 'unknown');
    const subject = `webhook:${channel}`;
    const used = await this.limits.hit(`intake:${subject}`, this.config.rateLimits.intakePerMinute);
    if (!used.allowed) {
      this.logger.pino.warn({ context: 'Access', code: DomainErrorCode.RateLimited, route, subject, retryAfter: used.retryAfterSeconds }, 'access denied');
      const limited = new DomainError(DomainErrorCode.RateLimited, `Rate limit of ${this.config.rateLimits.intakePerMinute} a minute reached`, [], { 'Retry-After': String(used.retryAfterSeconds) });
      limited.securityLogged = true;
      throw limited;
    }
    request.actor = { subject, roles: [Role.ChannelConnector], role: Role.ChannelConnector };
    return true;
  }
}
