import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AppConfig, configToEnvironment } from '../../src/config/app-config.js';
import { findFreePort, stopChild, waitUntil } from '../../src/infra/child-process.js';
import { migrateDatabase } from '../../src/modules/database/migrate.js';

const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

/** Starts a built entry point (dist/main.js or dist/worker.js) as a real process. */
export function startProcess(script: 'main.js' | 'worker.js', config: AppConfig): RunningProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', dist(script)], {
    env: { ...process.env, ...configToEnvironment(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output, stop: () => stopChild(child, 15_000) };
}

export interface Stack {
  apiUrl: string;
  api: RunningProcess;
  worker?: RunningProcess;
  stop(): Promise<void>;
}

/** The API (and, unless told otherwise, a worker) as real processes on the given configuration. */
export async function startStack(config: AppConfig, options: { worker?: boolean; expectHealthy?: boolean } = {}): Promise<Stack> {
  // Migrate once up front, as the dev command does, so that neither process waits on the other's lock.
  await migrateDatabase(config.database);
  const shared: AppConfig = { ...config, database: { ...config.database, migrateOnStart: false } };
  const port = await findFreePort();
  const apiConfig: AppConfig = { ...shared, api: { ...shared.api, port } };
  const worker = options.worker === false ? undefined : startProcess('worker.js', shared);
  const api = startProcess('main.js', apiConfig);
  const apiUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await Promise.all([api.stop(), worker?.stop()]);
  };
  try {
    await waitUntil(
      async () => {
        if (api.child.exitCode !== null) throw new Error(`API exited: ${api.output.join('')}`);
        const response = await fetch(`${apiUrl}/health`);
        return options.expectHealthy === false || response.status === 200 ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the API to answer /health' },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, api, worker, stop };
}
