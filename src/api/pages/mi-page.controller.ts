import { Body, Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { signAccessToken } from '../../modules/platform/access/access-token.js';
import { DEVELOPMENT_ALGORITHM, loadOrCreateDevelopmentSigningKey } from '../../modules/platform/access/development-signing-key.js';
import { allRoles, type Role } from '../../domain/roles.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';
import { Public } from '../access/access.decorators.js';
import { SUBJECT } from '../../domain/fields.js';

const page = fileURLToPath(new URL('../../../public/mi/', import.meta.url));
const chartLibrary = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** The page's files: the chart library comes from the app's own dependencies, never a CDN. */
const assets: Record<string, { path: string; type: string }> = {
  'dashboard.js': { path: join(page, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { path: join(page, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'chart.umd.min.js': { path: chartLibrary, type: 'text/javascript; charset=utf-8' },
};

export class DevelopmentSignInDto extends createZodDto(
  z.strictObject({
    role: z.enum(allRoles as readonly [Role, ...Role[]]),
    subject: z.string().regex(SUBJECT, { error: 'must be a staff id: 1 to 128 letters, digits, dots, dashes, underscores or @' }),
  }),
) {}

const TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * The management information page for the police authority (`GET /mi`). The page and its files
 * are public and hold no figures: it signs the user in and reads `/api/v1/mi/measures` with their
 * access token. Sign-in is the force's identity provider (authorization code with PKCE, in the
 * browser) when OIDC_* is configured; otherwise, outside production, a development sign-in that
 * signs a token with this installation's development key, as `npm run token` does.
 */
@ApiExcludeController()
@Controller('mi')
export class MiPageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: AppLogger,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    const tokenOrigin = this.config.browserSignIn.tokenUrl ? new URL(this.config.browserSignIn.tokenUrl).origin : '';
    response.setHeader('Content-Security-Policy', `default-src 'self'; connect-src 'self' ${tokenOrigin}`.trim() + "; img-src 'self' blob: data:; style-src 'self'; frame-ancestors 'none'");
    return readFile(join(page, 'index.html'), 'utf8');
  }

  @Get('assets/:file')
  @Public()
  async asset(@Param('file') file: string, @Res() response: Response): Promise<void> {
    const asset = Object.hasOwn(assets, file) ? assets[file] : undefined;
    if (!asset) throw new NotFoundException('No such file');
    response.setHeader('Content-Type', asset.type);
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.send(await readFile(asset.path));
  }

  /** How this page signs in: at the identity provider, in development, or not at all. */
  @Get('sign-in')
  @Public()
  signIn() {
    const { authorizationUrl, tokenUrl, clientId, scope } = this.config.browserSignIn;
    if (authorizationUrl && tokenUrl && clientId) return { mode: 'oidc', authorizationUrl, tokenUrl, clientId, scope };
    if (this.developmentSignInAllowed()) return { mode: 'development', roles: allRoles };
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
    this.logger.warn({ msg: 'development sign-in', subject: body.subject, role: body.role }, 'MiPage');
    return { accessToken, expiresIn: TOKEN_TTL_SECONDS };
  }

  private developmentSignInAllowed(): boolean {
    return this.config.env !== 'production' && this.config.auth.keys.kind === 'development';
  }
}
