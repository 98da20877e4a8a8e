import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';
import { httpRequestDuration, httpRequests } from '../../modules/platform/telemetry/metrics.js';

/**
 * One log line per request, and its count and duration in the metrics. It logs the route pattern (`/api/v1/contacts/:reference`), never the
 * path or query as sent, which may carry references or search text.
 */
const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

@Injectable()
export class AccessLogMiddleware implements NestMiddleware {
  constructor(private readonly logger: AppLogger) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = performance.now();
    response.once('finish', () => {
      const path = (request.route as { path?: string } | undefined)?.path;
      const route = path ? `${request.baseUrl}${path}` : '(unmatched)';
      const seconds = (performance.now() - started) / 1_000;
      // An unknown method is a value a client chose: it is counted as `other`.
      const labels = { method: knownMethods.has(request.method) ? request.method : 'other', route, status: String(response.statusCode) };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      this.logger.pino.info({ context: 'Http', method: request.method, route, status: response.statusCode, durationMs: Math.round(seconds * 10_000) / 10 }, 'request');
    });
    next();
  }
}
