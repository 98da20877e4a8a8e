import { DefaultLogger, type LogLevel, Runtime } from '@temporalio/worker';
import { type AppLogger } from '../logging/app-logger.js';

const levels: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Installs the Temporal runtime for this process: its logs go through our JSON logger, it
 * installs no signal handlers of its own (the process entry point owns shutdown), and, given an
 * address, it serves the SDK's metrics there for the worker's endpoint to read. Later calls do nothing.
 */
let installed = false;

export function installTemporalRuntime(logger: AppLogger, level: LogLevel = 'INFO', metricsBindAddress?: string): void {
  // Once per process: the runtime is a singleton (a test may set it up before its worker does).
  if (installed) return;
  installed = true;
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(level, (entry) => {
      logger.pino[levels[entry.level]]({ context: 'Temporal', ...entry.meta }, entry.message);
    }),
    // The SDK's metrics (workflow task schedule-to-start latency, sticky cache hits and misses,
    // activity failures…) in Prometheus's conventions: seconds, `_total` counters, unit suffixes.
    ...(metricsBindAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBindAddress, useSecondsForDurations: true, countersTotalSuffix: true, unitSuffix: true } } } }
      : {}),
  });
}
