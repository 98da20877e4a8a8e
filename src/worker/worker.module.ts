import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ActivitiesModule } from '../activities/activities.module.js';
import { type AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DatabaseModule } from '../modules/platform/database/database.module.js';
import { type AppLogger } from '../modules/platform/logging/app-logger.js';
import { LoggingModule } from '../modules/platform/logging/logging.module.js';
import { TemporalClientModule } from '../modules/platform/temporal/temporal-client.module.js';
import { TemporalWorkerService } from '../modules/platform/temporal/temporal-worker.service.js';

/** The worker process: hosts the workflows and the activities, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, logger: AppLogger) {
    return {
      module: WorkerModule,
      // The Temporal client is for the activity that archives a closed case's history.
      imports: [ConfigModule.forRoot(config), LoggingModule.forRoot(logger), DiscoveryModule, DatabaseModule, TemporalClientModule, ActivitiesModule],
      providers: [TemporalWorkerService],
      exports: [TemporalWorkerService],
    };
  }
}
