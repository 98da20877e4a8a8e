import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type AppConfig, configToEnvironment } from '../../src/config/app-config.js';
import { findFreePort, stopChild, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { migrateDatabase } from '../../src/modules/platform/database/migrate.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';

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
  /** The API's address: behind a round-robin balancer when there are replicas. */
  apiUrl: string;
  /** The first API replica (the only one outside the cluster profile). */
  api: RunningProcess;
  /** The first worker replica. */
  worker?: RunningProcess;
  /** Every process of the stack, replicas included (for reading all their logs). */
  processes: RunningProcess[];
  /** How many requests the balancer sent to each API replica (absent with one replica). */
  balanced?: number[];
  /** Each API replica's own address, in the order of `processes`. */
  apiUrls: string[];
  stop(): Promise<void>;
}

/** Replicas of each process: two under the cluster profile (npm run test:cluster), else one. */
export const stackReplicas = () => (process.env.TEST_TEMPORAL === 'cluster' ? 2 : 1);

/**
 * The API (and, unless told otherwise, a worker) as real processes on the given configuration;
 * under the cluster profile, two of each, the APIs behind a round-robin balancer.
 */
export async function startStack(config: AppConfig, options: { worker?: boolean; expectHealthy?: boolean; replicas?: number } = {}): Promise<Stack> {
  // Migrate once up front, as the dev command does, so that neither process waits on the other's lock.
  await migrateDatabase(config.database);
  const shared: AppConfig = { ...config, database: { ...config.database, migrateOnStart: false } };
  const replicas = options.replicas ?? stackReplicas();
  const ports = await Promise.all(Array.from({ length: replicas }, () => findFreePort()));
  const workers = options.worker === false ? [] : ports.map(() => startProcess('worker.js', shared));
  const apis = ports.map((port) => startProcess('main.js', { ...shared, api: { ...shared.api, port } }));
  const upstreams = ports.map((port) => `http://127.0.0.1:${port}`);
  const balancer = replicas > 1 ? await startRoundRobinProxy(upstreams) : undefined;
  const apiUrl = balancer?.url ?? upstreams[0];
  const stop = async () => {
    await balancer?.stop();
    await Promise.all([...apis, ...workers].map((running) => running.stop()));
  };
  try {
    for (const [index, api] of apis.entries()) {
      await waitUntil(
        async () => {
          if (api.child.exitCode !== null) throw new Error(`API exited: ${api.output.join('')}`);
          const response = await fetch(`${upstreams[index]}/health`);
          return options.expectHealthy === false || response.status === 200 ? true : undefined;
        },
        { timeoutMs: 60_000, what: 'the API to answer /health' },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl, api: apis[0], worker: workers[0], processes: [...apis, ...workers], balanced: balancer?.counts, apiUrls: upstreams, stop };
}
