import 'reflect-metadata';
import { type AppConfig } from '../config/app-config.js';
import { untilShutdownSignal, within } from '../modules/platform/process/shutdown-signal.js';
import { AppLogger } from '../modules/platform/logging/app-logger.js';
import { TemporalClientService } from '../modules/platform/temporal/temporal-client.module.js';
import { serveMetrics } from '../modules/platform/telemetry/metrics-server.js';
import { type Tracing } from '../modules/platform/telemetry/tracing.js';
import { createApiApp } from './create-api-app.js';

/** The API process, once tracing (if on) has started. Stateless: run as many as the load needs. */
export async function runApi(config: AppConfig, tracing: Tracing | undefined): Promise<void> {
  const logger = new AppLogger({ level: config.logLevel, service: 'api' });
  const app = await createApiApp(config, logger);
  await app.listen(config.api.port, config.api.host);
  logger.log({ msg: 'api listening', url: `http://${config.api.host}:${config.api.port}`, tracing: tracing !== undefined }, 'Main');
  const metrics = await serveMetrics(config, logger, config.telemetry.apiMetricsPort);
  // A namespace that cannot take cases is said at once, naming what it lacks (and /health says 503).
  void app
    .get(TemporalClientService)
    .namespaceReady(10_000)
    .then((ready) => {
      if (ready.status === 'down') logger.error({ msg: 'the Temporal namespace is not ready for cases', namespace: config.temporal.namespace, problem: ready.error }, 'Main');
    });

  const signal = await untilShutdownSignal((forced) => logger.warn({ msg: 'forced exit', signal: forced }, 'Main'));
  logger.log({ msg: 'api stopping', signal }, 'Main');
  await within(config.api.shutdownTimeoutMs, 'API shutdown', app.close());
  await metrics?.close();
  await tracing?.shutdown().catch(() => undefined);
  logger.log({ msg: 'api stopped' }, 'Main');
}
