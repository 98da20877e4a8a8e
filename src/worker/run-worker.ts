import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type AppConfig } from '../config/app-config.js';
import { findFreePort } from '../modules/platform/process/child-process.js';
import { untilShutdownSignal, within } from '../modules/platform/process/shutdown-signal.js';
import { AppLogger } from '../modules/platform/logging/app-logger.js';
import { ensureDrillSchedule } from '../modules/continuity-drills/continuity-drill-schedule.js';
import { ensureReconciliationSchedule } from '../modules/audit/reconciliation-schedule.js';
import { installTemporalRuntime } from '../modules/platform/temporal/temporal-runtime.js';
import { TemporalWorkerService } from '../modules/platform/temporal/temporal-worker.service.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';
import { serveMetrics } from '../modules/platform/telemetry/metrics-server.js';
import { type Tracing } from '../modules/platform/telemetry/tracing.js';
import { WorkerModule } from './worker.module.js';

/** The worker process, once tracing (if on) has started. Scale by running more of them on the same task queue. */
export async function runWorker(config: AppConfig, tracing: Tracing | undefined): Promise<void> {
  const logger = new AppLogger({ level: config.logLevel, service: 'worker' });
  // The Temporal SDK's own metrics come from its core's exporter, on a loopback port of its own that
  // the worker's endpoint reads and serves with the rest: one endpoint for Prometheus to scrape.
  const sdkMetricsPort = config.telemetry.workerMetricsPort === 0 ? undefined : await findFreePort();
  installTemporalRuntime(logger, 'INFO', sdkMetricsPort === undefined ? undefined : `127.0.0.1:${sdkMetricsPort}`);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), { logger });
  const worker = app.get(TemporalWorkerService);
  const metrics = await serveMetrics(config, logger, config.telemetry.workerMetricsPort, async () => {
    const response = await fetch(`http://127.0.0.1:${sdkMetricsPort}/metrics`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? response.text() : '';
  });
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
  await metrics?.close();
  await tracing?.shutdown().catch(() => undefined);
  logger.log({ msg: 'worker stopped' }, 'Main');
}
