import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { collectOutput, readyUnlessExited, stopChild, waitUntil } from '../modules/platform/process/child-process.js';
import { searchAttributeCliPairs } from '../modules/platform/temporal/search-attribute-registration.js';

/** Workflows whose state the dev server's history service keeps in memory (see the start command). */
export const HISTORY_CACHE_SIZE = 32_768;

export interface TemporalDevServerOptions {
  cliPath: string;
  ip?: string;
  port: number;
  uiPort?: number;
  /** No Web UI (tests). */
  headless?: boolean;
  /** SQLite file that keeps the server's state across restarts; in memory when absent. */
  dbFile?: string;
  namespace: string;
  uiCodecEndpoint?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes; discarded when absent. */
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
}

export interface TemporalDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with the project's namespace and search attributes, and waits
 * until the namespace answers.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--namespace', options.namespace];
  args.push('--log-level', options.logLevel ?? 'warn', '--log-format', 'json');
  for (const pair of searchAttributeCliPairs()) args.push('--search-attribute', pair);
  // The history service keeps this many workflows' state in memory. The dev server's default
  // (8,096) is below the open cases of one busy day, and every clock of a case that fell out of it
  // would be read back from SQLite first.
  args.push('--dynamic-config-value', `history.hostLevelCacheMaxSize=${HISTORY_CACHE_SIZE}`);
  // A case's store write is an activity scheduled by its own workflow task: handed straight back to
  // the worker that completes the task, it saves a poll's round trip on every change.
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    // Write-ahead log, synced at checkpoints: durable across a crash of any process (a power cut
    // may lose the last moments, never corrupt), without an fsync per transaction, which would
    // bound the server to a few dozen workflow tasks a second (measured by npm run bench:clocks).
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (options.headless) {
    args.push('--headless');
  } else {
    if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
    args.push('--ui-ip', ip);
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  }

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collectOutput(child, options.onOutput);

  const address = `${ip}:${options.port}`;
  const ready = waitUntil(
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.withDeadline(Date.now() + 2_000, () =>
          connection.workflowService.describeNamespace({ namespace: options.namespace }),
        );
        return true;
      } finally {
        await connection.close();
      }
    },
    { timeoutMs: options.startTimeoutMs ?? 60_000, intervalMs: 250, what: `the Temporal dev server at ${address}` },
  );
  await readyUnlessExited(child, ready, 'Temporal dev server', output);

  return {
    address,
    uiUrl: options.headless ? undefined : `http://${ip}:${options.uiPort ?? options.port + 1000}`,
    process: child,
    stop: () => stopChild(child, 15_000),
  };
}
