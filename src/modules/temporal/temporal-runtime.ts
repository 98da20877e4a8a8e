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
 * Installs the Temporal runtime for this process: its logs go through our JSON logger, and it
 * installs no signal handlers of its own (the process entry point owns shutdown).
 */
export function installTemporalRuntime(logger: AppLogger, level: LogLevel = 'INFO'): void {
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(level, (entry) => {
      logger.pino[levels[entry.level]]({ context: 'Temporal', ...entry.meta }, entry.message);
    }),
  });
}
