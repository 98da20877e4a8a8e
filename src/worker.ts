import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from './config/app-config.js';
import { untilShutdownSignal, within } from './infra/shutdown-signal.js';
import { AppLogger } from './modules/logging/app-logger.js';
import { installTemporalRuntime } from './modules/temporal/temporal-runtime.js';
import { TemporalWorkerService } from './modules/temporal/temporal-worker.service.js';
import { TemporalClientService } from './modules/temporal/temporal-client.module.js';
import { WorkerModule } from './worker/worker.module.js';

/** The worker process. Scale by running more of them on the same task queue. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new AppLogger({ level: config.logLevel, service: 'worker' });
  installTemporalRuntime(logger);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), { logger });
  const worker = app.get(TemporalWorkerService);
  void app
    .get(TemporalClientService)
    .namespaceReady(10_000)
    .then((ready) => {
      if (ready.status === 'down') logger.error({ msg: 'the Temporal namespace is not ready for cases', namespace: config.temporal.namespace, problem: ready.error }, 'Main');
    });

  const stopped = await Promise.race([
    untilShutdownSignal((forced) => logger.warn({ msg: 'forced exit', signal: forced }, 'Main')).then((signal) => ({ signal })),
    worker.completion().then(() => ({ signal: undefined })),
  ]);
  logger.log({ msg: 'worker stopping', signal: stopped.signal }, 'Main');
  await within(config.temporal.workerShutdownGraceMs + 10_000, 'worker shutdown', app.close());
  logger.log({ msg: 'worker stopped' }, 'Main');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'worker', msg: 'worker failed', err: String(error instanceof Error ? (error.stack ?? error.message) : error) })}\n`);
    process.exit(1);
  },
);
