import { execFile, type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { collectOutput, findFreePort, readyUnlessExited, stopChild, waitUntil } from '../modules/platform/process/child-process.js';

const run = promisify(execFile);

/**
 * The real Temporal server (the `go.temporal.io/server` build, not the CLI's dev server), on
 * PostgreSQL for both its persistence and its visibility store: what a force runs in production,
 * one node of it. Built and cached by `scripts/ensure-temporal-server.sh`.
 */
export interface TemporalServerOptions {
  /** The directory holding `temporal-server` and `temporal-sql-tool`. */
  binDir: string;
  /** The PostgreSQL server that holds Temporal's two databases (its own user needs CREATEDB). */
  databaseUrl: string;
  /** Names the two databases: `<prefix>` and `<prefix>_visibility`. */
  databasePrefix: string;
  /** Where the server's configuration is written. */
  workDir: string;
  /** The frontend's gRPC port, below 32768 (the others are found free; see findFreePort). */
  port: number;
  onOutput?: (line: string) => void;
}

export interface TemporalServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Starts a stopped server again, on the same databases and ports. */
  start(): Promise<void>;
  /** Stops the server (SIGTERM) and starts it again on the same databases and ports. */
  restart(): Promise<void>;
}

/** Creates Temporal's databases when missing and brings their schemas to the build's version. */
export async function prepareTemporalDatabases(options: Pick<TemporalServerOptions, 'binDir' | 'databaseUrl' | 'databasePrefix'>): Promise<void> {
  const url = new URL(options.databaseUrl);
  const base = ['--plugin', 'postgres12', '--endpoint', url.hostname, '--port', url.port || '5432', '--user', decodeURIComponent(url.username || 'postgres')];
  if (url.password) base.push('--password', decodeURIComponent(url.password));
  const tool = join(options.binDir, 'temporal-sql-tool');
  for (const [database, schema] of [
    [options.databasePrefix, 'postgresql/v12/temporal'],
    [`${options.databasePrefix}_visibility`, 'postgresql/v12/visibility'],
  ]) {
    const on = [...base, '--database', database];
    await run(tool, [...on, 'create-database']).catch((error: Error & { stderr?: string }) => {
      if (!/already exists/.test(`${error.message}${error.stderr ?? ''}`)) throw error;
    });
    await run(tool, [...on, 'setup-schema', '-v', '0.0']);
    await run(tool, [...on, 'update-schema', '--schema-name', schema]);
  }
}

function configYaml(options: TemporalServerOptions, ports: Record<'frontend' | 'frontendHttp' | 'frontendMembership' | 'history' | 'historyMembership' | 'matching' | 'matchingMembership' | 'worker' | 'workerMembership', number>): string {
  const url = new URL(options.databaseUrl);
  const store = (database: string, maxConns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${url.hostname}:${url.port || '5432'}"
        connectProtocol: "tcp"
        user: "${decodeURIComponent(url.username || 'postgres')}"
        password: "${decodeURIComponent(url.password)}"
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, http?: number) => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `log:
  stdout: true
  level: warn
  format: json

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${store(options.databasePrefix, 20)}
    postgres-visibility:
${store(`${options.databasePrefix}_visibility`, 5)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
${service(ports.frontend, ports.frontendMembership, ports.frontendHttp)}
  matching:
${service(ports.matching, ports.matchingMembership)}
  history:
${service(ports.history, ports.historyMembership)}
  worker:
${service(ports.worker, ports.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "${join(options.workDir, 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
}

/**
 * What this deployment changes from the server's defaults: search attributes are read fresh (a
 * namespace set up a moment ago can take cases at once), the history cache holds a busy day's
 * open cases (as the dev server is told), and activities go eagerly to the worker that scheduled
 * them (every change to a case is a store-write activity its own workflow task schedules).
 */
const dynamicConfig = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
history.hostLevelCacheMaxSize:
  - value: 32768
system.enableActivityEagerExecution:
  - value: true
`;

/** Starts one node of the real Temporal server on PostgreSQL, its schemas set up first. */
export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServer> {
  await prepareTemporalDatabases(options);
  const free = async () => findFreePort();
  const ports = {
    frontend: options.port,
    frontendHttp: await free(),
    frontendMembership: await free(),
    history: await free(),
    historyMembership: await free(),
    matching: await free(),
    matchingMembership: await free(),
    worker: await free(),
    workerMembership: await free(),
  };
  mkdirSync(join(options.workDir, 'config'), { recursive: true });
  writeFileSync(join(options.workDir, 'config', 'development.yaml'), configYaml(options, ports));
  writeFileSync(join(options.workDir, 'dynamicconfig.yaml'), dynamicConfig);
  const address = `127.0.0.1:${options.port}`;

  let child: ChildProcess;
  const launch = async () => {
    child = spawn(join(options.binDir, 'temporal-server'), ['--root', options.workDir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collectOutput(child, options.onOutput, 80);
    const ready = waitUntil(
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: 1_000 });
        try {
          await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
          // The system namespace answers once the node has joined its own ring.
          await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.describeNamespace({ namespace: 'temporal-system' }));
          return true;
        } finally {
          await connection.close();
        }
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `the Temporal server at ${address}` },
    );
    await readyUnlessExited(child, ready, 'The Temporal server', output);
  };
  await launch();
  return {
    address,
    get process() {
      return child;
    },
    stop: () => stopChild(child, 20_000),
    start: launch,
    restart: async () => {
      await stopChild(child, 20_000);
      await launch();
    },
  };
}
