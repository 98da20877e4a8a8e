import { type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { type AppConfig } from '../../config/app-config.js';

/**
 * The Content-Security-Policy of a page people open in a browser: everything from this API, and the
 * token exchange at the force's identity provider (when one is configured); never a CDN, no framing.
 */
export function setPageSecurityPolicy(response: Response, config: AppConfig): void {
  const tokenOrigin = config.browserSignIn.tokenUrl ? new URL(config.browserSignIn.tokenUrl).origin : '';
  response.setHeader(
    'Content-Security-Policy',
    [`default-src 'self'`, `connect-src 'self' ${tokenOrigin}`.trim(), "img-src 'self' blob: data:", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"].join('; '),
  );
}

/** A page's HTML, under that policy (the page holds nothing of a case or a figure: it signs in first). */
export async function pageHtml(response: Response, config: AppConfig, file: string): Promise<string> {
  setPageSecurityPolicy(response, config);
  return readFile(file, 'utf8');
}
