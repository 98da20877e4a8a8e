import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from './config/app-config.js';
import { untilShutdownSignal, within } from './infra/shutdown-signal.js';
import { AppLogger } from './modules/logging/app-logger.js';
import { installTemporalRuntime } from './modules/temporal/temporal-runtime.js';
import { TemporalWorkerService } from './modules/temporal/temporal-worker.service.js';
import { TemporalClientService } from './modules/temporal/temporal-client.module.js';
import { WorkerModule } from './worker/worker.module.js';
import { ensureDrillSchedule } from './modules/drills/drill-schedule.js';
import { ensureReconciliationSchedule } from './modules/audit/reconciliation-schedule.js';

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
  // The continuity drill's schedule follows DRILL_SCHEDULE; a failure here never stops the worker.
  void ensureDrillSchedule(app.get(TemporalClientService).client, config).then(
    (done) => logger.log({ msg: 'continuity drill schedule', schedule: config.drills.schedule, timeZone: config.drills.timeZone, done }, 'Main'),
    (error: unknown) => logger.warn({ msg: 'could not set the continuity drill schedule', error: (error as Error).message }, 'Main'),
  );
  // So does the store reconciliation's, RECONCILE_SCHEDULE.
  void ensureReconciliationSchedule(app.get(TemporalClientService).client, config).then(
    (done) => logger.log({ msg: 'store reconciliation schedule', schedule: config.store.reconcileSchedule, timeZone: config.store.reconcileTimeZone, done }, 'Main'),
    (error: unknown) => logger.warn({ msg: 'could not set the store reconciliation schedule', error: (error as Error).message }, 'Main'),
  );

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
