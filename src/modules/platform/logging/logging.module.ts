import { Global, Module } from '@nestjs/common';
import { AppLogger } from './app-logger.js';

@Global()
@Module({})
export class LoggingModule {
  static forRoot(logger: AppLogger) {
    return { module: LoggingModule, providers: [{ provide: AppLogger, useValue: logger }], exports: [AppLogger] };
  }
}
