import 'reflect-metadata';
import { createApiApp } from './api/create-api-app.js';
import { loadConfig } from './config/app-config.js';
import { untilShutdownSignal, within } from './infra/shutdown-signal.js';
import { AppLogger } from './modules/logging/app-logger.js';
import { TemporalClientService } from './modules/temporal/temporal-client.module.js';

/** The API process. Stateless: run as many as the load needs. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new AppLogger({ level: config.logLevel, service: 'api' });
  const app = await createApiApp(config, logger);
  await app.listen(config.api.port, config.api.host);
  logger.log({ msg: 'api listening', url: `http://${config.api.host}:${config.api.port}` }, 'Main');
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
  logger.log({ msg: 'api stopped' }, 'Main');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'api', msg: 'api failed', err: String(error instanceof Error ? (error.stack ?? error.message) : error) })}\n`);
    process.exit(1);
  },
);
