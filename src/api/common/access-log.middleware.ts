import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import { AppLogger } from '../../modules/logging/app-logger.js';

/**
 * One log line per request. It logs the route pattern (`/api/v1/contacts/:reference`), never the
 * path or query as sent, which may carry references or search text.
 */
@Injectable()
export class AccessLogMiddleware implements NestMiddleware {
  constructor(private readonly logger: AppLogger) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const started = performance.now();
    response.once('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      this.logger.pino.info(
        {
          context: 'Http',
          method: request.method,
          route: route ? `${request.baseUrl}${route}` : '(unmatched)',
          status: response.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    });
    next();
  }
}
