import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig, type Environment } from '../../src/config/app-config.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { AppLogger } from '../../src/modules/platform/logging/app-logger.js';
import { encryptingDataConverter } from '../../src/modules/platform/temporal/payload-codec.js';
import { installTemporalRuntime } from '../../src/modules/platform/temporal/temporal-runtime.js';
import { WorkerModule } from '../../src/worker/worker.module.js';
import { testConfig } from './test-config.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface WorkerHarness {
  database: TestDatabase;
  config: AppConfig;
  /** The worker as the worker process builds it: Nest container, discovered activity providers. */
  worker: INestApplicationContext;
  client: Client;
  stop(): Promise<void>;
}

/**
 * An in-process worker on a task queue and database of its own, and a client to the shared Temporal
 * server (or to another, such as the time-skipping test server, named in `overrides`).
 */
export async function startWorkerHarness(overrides: Environment = {}): Promise<WorkerHarness> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, { DATABASE_MIGRATE_ON_START: 'false', ...overrides });
  await migrateDatabase(config.database);
  const logger = new AppLogger({ level: 'warn', service: 'test-worker' });
  installTemporalRuntime(logger, 'WARN');
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), { logger: false });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptingDataConverter(config.codec.keys) });
  return {
    database,
    config,
    worker,
    client,
    async stop() {
      await worker.close();
      await connection.close();
      await database.drop();
    },
  };
}
