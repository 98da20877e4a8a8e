import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { type AppConfig, configToEnvironment, loadConfig } from '../config/app-config.js';
import { findFreePort, stopChild, waitUntil } from '../modules/platform/process/child-process.js';
import { startEmbeddedDatabase } from '../dev/embedded-database.js';
import { ensureNamespace, registerSearchAttributes } from '../modules/platform/temporal/search-attribute-registration.js';
import { startTemporalServer, type TemporalServer } from '../dev/temporal-server.js';
import { migrateDatabase } from '../modules/platform/database/migrate.js';
import { readPidFile } from '../dev/dev-run-files.js';
import { resolveTemporalCli } from '../dev/temporal-cli.js';
import { signAccessToken } from '../modules/platform/access/access-token.js';
import { DEVELOPMENT_ALGORITHM, loadOrCreateDevelopmentSigningKey } from '../modules/platform/access/development-signing-key.js';
import { Role } from '../domain/roles.js';
import { encryptingDataConverter, loadPayloadKeys } from '../modules/platform/temporal/payload-codec.js';
import { ApiClient } from '../cli/api-client.js';

export interface BenchSystem {
  config: AppConfig;
  /** The API: under the cluster profile each request goes to the next replica in turn, as a balancer sends it. */
  api: Pick<ApiClient, 'get' | 'post'>;
  apiUrl: string;
  /** An access token for other staff (for example a supervisor's alert stream). */
  tokenFor(roles: Role[], subject: string): Promise<string>;
  client: Client;
  /** The case store, for counting what the worker has recorded. */
  database: pg.Client;
  /** The process ids the dev command started: Temporal, the worker, the API (and PostgreSQL when embedded); the first of each kind under the cluster profile. */
  pids(): { temporal: number; worker: number; api: number; postgres?: number };
  /** CPU seconds used so far by each part of the system (PostgreSQL with all its backends), and by this benchmark. */
  cpuSeconds(): Record<'api' | 'worker' | 'temporal' | 'postgres' | 'benchmark', number>;
  /** Machine and system, as each benchmark prints them first. */
  describe(): string;
  stop(): Promise<void>;
}

/**
 * The whole system as `npm run dev` starts it, on a throw-away data directory and free ports, for a
 * benchmark. With `databaseUrl` the case store is that PostgreSQL database (emptied first).
 */
export async function startBenchSystem(options: { databaseUrl?: string; environment?: Record<string, string> } = {}): Promise<BenchSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), 'police-contact-bench-'));
  const ports = {
    API_PORT: String(await findFreePort()),
    TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}`,
    TEMPORAL_UI_PORT: String(await findFreePort()),
    EMBEDDED_DATABASE_PORT: String(await findFreePort()),
  };
  const environment: Record<string, string | undefined> = {
    // A benchmark is a development installation: its own keys, made in its data directory.
    NODE_ENV: 'development',
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
    ...ports,
    ...options.environment,
  };
  if (options.databaseUrl) {
    environment.DATABASE_URL = options.databaseUrl;
    const reset = new pg.Client({ connectionString: options.databaseUrl });
    await reset.connect();
    await reset.query('drop schema public cascade; create schema public;');
    await reset.end();
  }
  const config = loadConfig(environment);
  const dev: ChildProcess = spawn(process.execPath, [fileURLToPath(new URL('../dev.js', import.meta.url))], { env: environment, stdio: ['ignore', 'pipe', 'inherit'] });
  let devOutput = '';
  dev.stdout?.on('data', (chunk: Buffer) => (devOutput += chunk.toString('utf8')));
  const cleanUp = async () => {
    await stopChild(dev, 60_000);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntil(() => (devOutput.includes('[dev] ready') ? true : dev.exitCode !== null ? Promise.reject(new Error(devOutput)) : undefined), {
      timeoutMs: 180_000,
      intervalMs: 250,
      what: 'the system to start',
    });
    const tokenFor = await developmentTokens(config);
    const token = await tokenFor([Role.ContactHandler], 'pc-bench');
    const connection = await Connection.connect({ address: config.temporal.address });
    const database = new pg.Client({ connectionString: config.database.url });
    await database.connect();
    const pids = () => {
      const recorded = readPidFile(join(dataDir, 'dev.pids'));
      return { temporal: recorded.get('temporal')!, worker: recorded.get('worker')!, api: recorded.get('api')!, postgres: recorded.get('postgres') };
    };
    const cliVersion = execFileSync(resolveTemporalCli(config.temporal.cliPath, process.env), ['--version'], { encoding: 'utf8' }).trim();
    return {
      config,
      api: new ApiClient(`http://127.0.0.1:${ports.API_PORT}`, token),
      apiUrl: `http://127.0.0.1:${ports.API_PORT}`,
      tokenFor,
      client: new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptingDataConverter(config.codec.keys) }),
      database,
      pids,
      cpuSeconds() {
        const pidsNow = pids();
        return {
          api: cpuSecondsOf([pidsNow.api]),
          worker: cpuSecondsOf([pidsNow.worker]),
          temporal: cpuSecondsOf([pidsNow.temporal]),
          postgres: pidsNow.postgres ? cpuSecondsOf([pidsNow.postgres, ...childrenOf(pidsNow.postgres)]) : 0,
          benchmark: cpuSecondsOf([process.pid]),
        };
      },
      describe: () =>
        [
          machineLine(),
          `System:  ${cliVersion}; ${config.database.embedded ? 'embedded PostgreSQL 18' : 'PostgreSQL at DATABASE_URL'}; one API and one worker process (npm run dev)`,
        ].join('\n'),
      async stop() {
        await database.end();
        await connection.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The machine a benchmark ran on, as each prints it first. */
const machineLine = () => `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;

/** Signs access tokens with the data directory's development key, as the system's processes verify them. */
async function developmentTokens(config: AppConfig): Promise<(roles: Role[], subject: string) => Promise<string>> {
  if (config.auth.keys.kind !== 'development') throw new Error('a benchmark needs the development key');
  const key = await loadOrCreateDevelopmentSigningKey(config.auth.keys.keyFile);
  return (roles, subject) =>
    signAccessToken({ privateJwk: key.privateJwk, kid: key.kid, alg: DEVELOPMENT_ALGORITHM }, { subject, roles, issuer: config.auth.issuer, audience: config.auth.audience, ttlSeconds: 7200 });
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Peak and current resident memory of a process, from /proc (Linux). */
export function memoryOf(pid: number): { peakMiB: number; currentMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMiB: kib('VmHWM') / 1024, currentMiB: kib('VmRSS') / 1024 };
}

/** User and system CPU seconds of processes, from /proc (Linux); a process that has gone counts 0. */
export function cpuSecondsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The direct children of a process (PostgreSQL's backends and helpers), from /proc. */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === parent) children.push(Number(entry));
    } catch {
      // gone
    }
  }
  return children;
}

/**
 * A benchmark's database: the one at `databaseUrl`, or an embedded PostgreSQL of its own in a
 * throw-away directory (also the benchmark's data directory). `stop` removes what it made.
 */
export async function benchDatabase(name: string, maxConnections: number, databaseUrl?: string): Promise<{ url: string; dataDir: string; embedded: boolean; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const embedded = databaseUrl ? null : await startEmbeddedDatabase({ dataDir: join(dataDir, 'cluster'), port: await findFreePort(), maxConnections });
  return {
    url: databaseUrl ?? embedded!.url,
    dataDir,
    embedded: embedded !== null,
    stop: async () => {
      await embedded?.discard();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The cluster profile for a benchmark: embedded PostgreSQL 18 holding the case store and Temporal's
 * own databases, the real Temporal server 1.29.1 (one node, SQL visibility; built once by
 * `scripts/ensure-temporal-server.sh`), its namespace prepared as `temporal:setup` prepares one, and
 * `replicas` API and worker processes started as `npm run start:api` / `start:worker` start them.
 */
export async function startBenchCluster(options: { replicas: number; databaseUrl?: string }): Promise<BenchSystem> {
  const binDir = execFileSync('sh', [fileURLToPath(new URL('../../scripts/ensure-temporal-server.sh', import.meta.url))], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const database = await benchDatabase('police-contact-bench-cluster', 300, options.databaseUrl);
  const workDir = join(database.dataDir, 'temporal');
  mkdirSync(workDir, { recursive: true });
  const children: ChildProcess[] = [];
  let server: TemporalServer | undefined;
  let embeddedPid: number | undefined;
  const cleanUp = async () => {
    await Promise.all(children.map((child) => stopChild(child, 30_000)));
    await server?.stop();
    await database.stop();
  };
  try {
    server = await startTemporalServer({ binDir, databaseUrl: database.url, databasePrefix: 'temporal_bench', workDir, port: await findFreePort() });
    const apiPorts = await Promise.all(Array.from({ length: options.replicas }, () => findFreePort()));
    const config = loadConfig({
      NODE_ENV: 'development',
      ...process.env,
      DATA_DIR: database.dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      DATABASE_MIGRATE_ON_START: 'false',
      TEMPORAL_ADDRESS: server.address,
      RATE_LIMIT_INTAKE_PER_MINUTE: '1000000',
      DRILL_SCHEDULE: 'off',
    });
    await migrateDatabase(config.database);
    const setup = await Connection.connect({ address: server.address });
    try {
      await ensureNamespace(setup, config.temporal.namespace, 1);
      await registerSearchAttributes(setup, config.temporal.namespace);
    } finally {
      await setup.close();
    }
    // Made here, once, so that the replicas never race to make the data directory's keys.
    loadPayloadKeys(config.codec.keys);
    loadPayloadKeys(config.callerIdentity.keys);
    const tokenFor = await developmentTokens(config);
    const environment = { ...process.env, ...configToEnvironment(config) };
    const start = (script: string, flags: string[], extra: Record<string, string> = {}) => {
      const child = spawn(process.execPath, [...flags, fileURLToPath(new URL(`../${script}`, import.meta.url))], { env: { ...environment, ...extra }, stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      return child;
    };
    const workers = apiPorts.map(() => start('worker.js', [`--max-old-space-size=${config.temporal.workerHeapLimitMib}`, '--max-semi-space-size=4'], { MALLOC_ARENA_MAX: '2' }));
    const apis = apiPorts.map((port) => start('main.js', [], { API_PORT: String(port) }));
    const urls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    for (const url of urls) {
      await waitUntil(async () => ((await fetch(`${url}/health`)).status === 200 ? true : undefined), { timeoutMs: 120_000, intervalMs: 250, what: `the API at ${url}` });
    }
    const token = await tokenFor([Role.ContactHandler], 'pc-bench');
    const clients = urls.map((url) => new ApiClient(url, token));
    let turn = 0;
    const next = () => clients[turn++ % clients.length];
    const connection = await Connection.connect({ address: server.address });
    const store = new pg.Client({ connectionString: database.url });
    await store.connect();
    embeddedPid = database.embedded ? Number(readFileSync(join(database.dataDir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]) : undefined;
    const temporalPid = server.process.pid!;
    return {
      config,
      api: { get: (path, ...rest) => next().get(path, ...rest), post: (path, body, ...rest) => next().post(path, body, ...rest) },
      apiUrl: urls[0],
      tokenFor,
      client: new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptingDataConverter(config.codec.keys) }),
      database: store,
      pids: () => ({ temporal: temporalPid, worker: workers[0].pid!, api: apis[0].pid!, postgres: embeddedPid }),
      cpuSeconds: () => ({
        api: cpuSecondsOf(apis.map((child) => child.pid!)),
        worker: cpuSecondsOf(workers.map((child) => child.pid!)),
        temporal: cpuSecondsOf([temporalPid]),
        postgres: embeddedPid ? cpuSecondsOf([embeddedPid, ...childrenOf(embeddedPid)]) : 0,
        benchmark: cpuSecondsOf([process.pid]),
      }),
      describe: () =>
        [
          machineLine(),
          `System:  Temporal server 1.29.1 (one node; persistence and SQL visibility on the same PostgreSQL as the case store); ${database.embedded ? 'embedded PostgreSQL 18' : 'PostgreSQL at --database-url'}; ${options.replicas} API and ${options.replicas} worker processes (requests to the APIs in turn)`,
        ].join('\n'),
      async stop() {
        await store.end();
        await connection.close();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/**
 * What a watched system talks to: free ports for the two metrics endpoints, scraped on a timer as
 * Prometheus would, and a stand-in for an OpenTelemetry collector that takes OTLP/HTTP trace
 * exports, counts their spans and keeps nothing else.
 */
export async function startTelemetrySinks(): Promise<{
  environment: Record<string, string>;
  scrapeEvery(ms: number): void;
  scrapes(): number;
  spans(): number;
  stop(): Promise<void>;
}> {
  let spans = 0;
  let scrapes = 0;
  const collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }> };
        for (const resource of body.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
      } catch {
        // Not what an exporter sends: counted as nothing.
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const ports = [await findFreePort(), await findFreePort()];
  let timer: NodeJS.Timeout | undefined;
  return {
    environment: {
      METRICS_PORT: String(ports[0]),
      WORKER_METRICS_PORT: String(ports[1]),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`,
    },
    scrapeEvery(ms) {
      timer = setInterval(() => {
        for (const port of ports) {
          void fetch(`http://127.0.0.1:${port}/metrics`)
            .then(async (response) => {
              await response.text();
              if (response.ok) scrapes += 1;
            })
            .catch(() => undefined);
        }
      }, ms);
    },
    scrapes: () => scrapes,
    spans: () => spans,
    stop: async () => {
      clearInterval(timer);
      await new Promise((resolve) => collector.close(resolve));
    },
  };
}
