import { loadConfig } from './config/app-config.js';
import { startTracing } from './modules/platform/telemetry/tracing.js';

/**
 * The API process's entry point. Tracing starts first, so that it sees `http` and `pg` loaded;
 * everything else is imported after it.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const tracing = await startTracing(config, 'api');
  const { runApi } = await import('./api/run-api.js');
  await runApi(config, tracing);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'api', msg: 'api failed', err: String(error instanceof Error ? (error.stack ?? error.message) : error) })}\n`);
    process.exit(1);
  },
);
