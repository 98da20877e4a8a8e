import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import { type AppConfig } from '../config/app-config.js';
import { type AppLogger } from '../modules/platform/logging/app-logger.js';
import { ApiModule } from './api.module.js';
import { WellFormedTextPipe, ZodValidationPipe } from './common/validation.js';
import { allowedMethods, createOpenApiDocument, mountOpenApi } from './openapi.js';
import { RouteMethods } from './common/error.filter.js';

export async function createApiApp(config: AppConfig, logger: AppLogger): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(config, logger), { logger, bufferLogs: true, rawBody: true });
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      // Where the Temporal UI expects a codec server: `<endpoint>/decode` (and no `/encode`: only
      // the system's own processes seal payloads).
      { path: 'codec/decode', method: RequestMethod.POST },
      // The pages people open (management information, the handler's desk) and their sign-in.
      ...['mi', 'desk'].flatMap((page) => [
        { path: page, method: RequestMethod.GET },
        { path: `${page}/assets/:file`, method: RequestMethod.GET },
        { path: `${page}/sign-in`, method: RequestMethod.GET },
        { path: `${page}/sign-in/development`, method: RequestMethod.POST },
      ]),
      // The satisfaction survey's public page, where the link sent to the caller opens.
      { path: 'survey/:token', method: RequestMethod.GET },
      { path: 'survey/:token', method: RequestMethod.POST },
    ],
  });
  // Security headers from a well-kept middleware: a strict Content-Security-Policy (`default-src
  // 'self'`, no framing), no MIME sniffing, no referrer beyond the origin, HSTS. The management
  // information page narrows its own policy further.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'frame-ancestors': ["'none'"] } }, referrerPolicy: { policy: 'no-referrer' } }));
  // Browsers may call the API only from the Temporal UI's origin (for the codec endpoint).
  app.enableCors({
    origin: config.codec.corsOrigins,
    methods: ['POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
    maxAge: 600,
  });
  app.useGlobalPipes(new WellFormedTextPipe(), new ZodValidationPipe());
  const document = createOpenApiDocument(app);
  mountOpenApi(app, document);
  app.get(RouteMethods).set(allowedMethods(document));
  return app;
}
