import { type INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig } from '../config/app-config.js';
import { type AppLogger } from '../modules/logging/app-logger.js';
import { ApiModule } from './api.module.js';
import { createValidationPipe } from './common/validation.js';
import { mountOpenApi } from './openapi.js';

export async function createApiApp(config: AppConfig, logger: AppLogger): Promise<INestApplication> {
  const app = await NestFactory.create(ApiModule.forRoot(config, logger), { logger, bufferLogs: true });
  app.setGlobalPrefix('api/v1', { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  mountOpenApi(app);
  return app;
}
