import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Public } from '../access/access.decorators.js';
import { pageHtml } from './browser-pages.js';

/** Where the project's build puts the desk (`vite build`, desk/vite.config.ts). */
const built = fileURLToPath(new URL('../../desk/', import.meta.url));
const types: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.png': 'image/png' };

/**
 * The handler's desk (`GET /desk`): the web application contact handlers and team leaders work in,
 * built from `desk/` by the project's build. The page and its files are public and hold no case:
 * it signs the person in (`/desk/sign-in`) and reads the API with their access token, which stays
 * the only judge of what they may see and do.
 */
@ApiExcludeController()
@Controller('desk')
export class DeskPageController {
  /** The built files, read once: their names carry a hash of their content. */
  private files: Promise<Set<string>> | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return pageHtml(response, this.config, join(built, 'index.html')).catch(() => {
      throw new NotFoundException('The desk is not built: run `npm run build`');
    });
  }

  @Get('assets/:file')
  @Public()
  async asset(@Param('file') file: string, @Res() response: Response): Promise<void> {
    this.files ??= readdir(join(built, 'assets')).then((names) => new Set(names), () => new Set<string>());
    const type = types[extname(file)];
    if (!type || !(await this.files).has(file)) throw new NotFoundException('No such file');
    response.setHeader('Content-Type', type);
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    response.send(await readFile(join(built, 'assets', file)));
  }
}
