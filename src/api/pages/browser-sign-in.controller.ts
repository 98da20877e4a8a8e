import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { signAccessToken } from '../../modules/platform/access/access-token.js';
import { DEVELOPMENT_ALGORITHM, loadOrCreateDevelopmentSigningKey } from '../../modules/platform/access/development-signing-key.js';
import { allRoles, type Role } from '../../domain/roles.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';
import { Public } from '../access/access.decorators.js';
import { SUBJECT } from '../../domain/fields.js';

export class DevelopmentSignInDto extends createZodDto(
  z.strictObject({
    role: z.enum(allRoles as readonly [Role, ...Role[]]),
    subject: z.string().regex(SUBJECT, { error: 'must be a staff id: 1 to 128 letters, digits, dots, dashes, underscores or @' }),
  }),
) {}

const TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * How the pages people open in a browser (`/mi`, `/desk`) sign them in: the force's identity
 * provider (authorization code with PKCE, in the browser) when OIDC_* is configured; otherwise,
 * outside production, a development sign-in that signs a token with this installation's
 * development key, as `npm run token` does.
 */
@ApiExcludeController()
@Controller(['mi', 'desk'])
export class BrowserSignInController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {}

  @Get('sign-in')
  @Public()
  signIn() {
    const { authorizationUrl, tokenUrl, clientId, scope } = this.config.browserSignIn;
    const rolesClaim = this.config.auth.rolesClaim;
    if (authorizationUrl && tokenUrl && clientId) return { mode: 'oidc', authorizationUrl, tokenUrl, clientId, scope, rolesClaim };
    if (this.developmentSignInAllowed()) return { mode: 'development', roles: allRoles, rolesClaim };
    return { mode: 'none' };
  }

  @Post('sign-in/development')
  @Public()
  @HttpCode(201)
  async developmentSignIn(@Body() body: DevelopmentSignInDto) {
    if (!this.developmentSignInAllowed() || this.config.auth.keys.kind !== 'development') {
      throw new DomainError(DomainErrorCode.Forbidden, 'The development sign-in is off: this installation trusts an identity provider (and it is never on in production)');
    }
    const key = await loadOrCreateDevelopmentSigningKey(this.config.auth.keys.keyFile);
    const accessToken = await signAccessToken(
      { privateJwk: key.privateJwk, kid: key.kid, alg: DEVELOPMENT_ALGORITHM },
      { subject: body.subject, roles: [body.role], issuer: this.config.auth.issuer, audience: this.config.auth.audience, ttlSeconds: TOKEN_TTL_SECONDS, rolesClaim: this.config.auth.rolesClaim },
    );
    this.logger.warn({ msg: 'development sign-in', subject: body.subject, role: body.role }, 'BrowserSignIn');
    return { accessToken, expiresIn: TOKEN_TTL_SECONDS };
  }

  private developmentSignInAllowed(): boolean {
    return this.config.env !== 'production' && this.config.auth.keys.kind === 'development';
  }
}
