import { Controller, Get, Header, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { Public } from '../access/access.decorators.js';
import { pageHtml } from './browser-pages.js';

const page = fileURLToPath(new URL('../../../public/mi/', import.meta.url));
const chartLibrary = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** The page's files: the chart library comes from the app's own dependencies, never a CDN. */
const assets: Record<string, { path: string; type: string }> = {
  'dashboard.js': { path: join(page, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  'dashboard.css': { path: join(page, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  'chart.umd.min.js': { path: chartLibrary, type: 'text/javascript; charset=utf-8' },
};

/**
 * The management information page for the police authority (`GET /mi`). The page and its files
 * are public and hold no figures: it signs the user in (`/mi/sign-in`, see BrowserSignInController)
 * and reads `/api/v1/mi/measures` with their access token.
 */
@ApiExcludeController()
@Controller('mi')
export class MiPageController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  async index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return pageHtml(response, this.config, join(page, 'index.html'));
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
}
