import { type LoggerService } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';
import { type AppConfig } from '../../../config/app-config.js';

type Fields = Record<string, unknown>;

/**
 * Structured JSON logs (one object per line) for Nest, Temporal and our own code. Log codes,
 * references and ids; never a caller's personal data. Inside a trace, each line carries its
 * `traceId` and `spanId`.
 */
export class AppLogger implements LoggerService {
  readonly pino: Logger;

  constructor(options: { level: AppConfig['logLevel']; service: string; destination?: pino.DestinationStream }) {
    this.pino = pino(
      {
        level: options.level,
        base: { service: options.service, pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        // With tracing on, a line written inside a trace names it, to find the trace from the log.
        mixin: () => {
          const context = trace.getActiveSpan()?.spanContext();
          return context ? { traceId: context.traceId, spanId: context.spanId } : {};
        },
      },
      options.destination,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    // Nest passes the context last, and for errors a stack before it.
    const params = [...rest];
    const context = typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const fields: Fields = context ? { context } : {};
    const stack = params.find((param) => typeof param === 'string' && param.includes('\n    at '));
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (message && typeof message === 'object') {
      const { msg, ...others } = message as Fields;
      this.pino[level]({ ...fields, ...others }, typeof msg === 'string' ? msg : '');
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
