import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppConfig, configToEnvironment, loadConfig } from './config/app-config.js';
import { waitForExit, waitUntil } from './modules/platform/process/child-process.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './dev/embedded-database.js';
import { untilShutdownSignal } from './modules/platform/process/shutdown-signal.js';
import { devAddressesFile, readPidFile, writeDevAddresses } from './dev/dev-run-files.js';
import { SupervisedProcess } from './dev/supervised-process.js';
import { resolveTemporalCli } from './dev/temporal-cli.js';
import { type TemporalDevServer, startTemporalDevServer } from './dev/temporal-dev-server.js';
import { migrateDatabase } from './modules/platform/database/migrate.js';
import { loadPayloadKeys } from './modules/platform/temporal/payload-codec.js';
import { browserPageLines } from './modules/platform/browser-pages.js';

/**
 * The whole system on one machine: Temporal dev server (state in a SQLite file), PostgreSQL (the
 * embedded server, its cluster in the data directory), the worker and the API. A worker or API that
 * crashes is started again after a backoff; repeated crashes, or the loss of Temporal or the
 * database, stop everything. Ctrl-C or SIGTERM stops all of them in order; the data directory keeps
 * the cases for the next start.
 */
const say = (line: string) => console.log(`[dev] ${line}`);

function splitAddress(address: string): { ip: string; port: number } {
  const at = address.lastIndexOf(':');
  return { ip: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops processes an earlier run left behind (for example after a SIGKILL), so ports and the cluster are free. */
async function stopLeftovers(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  for (const [name, pid] of readPidFile(pidFile)) {
    if (name === 'dev') continue; // an earlier dev command that was killed outright; never this one
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue; // not running any more
    }
    if (/\bpostgres -D\b/.test(cmdline)) {
      // The database is asked to shut down fast (it checkpoints), never killed outright.
      process.kill(pid, 'SIGINT');
      await waitUntil(() => (isRunning(pid) ? undefined : true), { timeoutMs: 30_000, what: `PostgreSQL ${pid} left by an earlier run to stop` });
      say(`stopped PostgreSQL ${pid} left by an earlier run`);
    } else if (/temporal|dist\/(main|worker)\.js/.test(cmdline)) {
      process.kill(pid, 'SIGKILL');
      say(`stopped process ${pid} left by an earlier run`);
    }
  }
  rmSync(pidFile, { force: true });
}

/** The worker's young generation: V8's default (16 MiB a semi-space, three of them) is sized for throughput, not for a process that is mostly idle between bursts. */
const WORKER_SEMI_SPACE_MIB = 4;

function startNodeProcess(script: string, env: Record<string, string>, nodeFlags: string[] = [], extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', ...nodeFlags, script], {
    env: { ...process.env, ...env, ...extraEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true, // its own process group: Ctrl-C reaches the dev command, which stops it in order
  });
  return child;
}

async function main(): Promise<number> {
  // The dev command is development by name: its own keys and the development sign-in (unless the
  // person running it says otherwise). Everything else is production when NODE_ENV is unset.
  process.env.NODE_ENV ??= 'development';
  const config: AppConfig = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const pidFile = join(config.dataDir, 'dev.pids');
  await stopLeftovers(pidFile);

  let temporal: TemporalDevServer | undefined;
  let database: EmbeddedDatabase | undefined;
  const children: SupervisedProcess[] = [];
  // One line per process, `name pid`: what a later run stops if this one is killed outright.
  const recordPids = () =>
    writeFileSync(
      pidFile,
      [
        ['dev', process.pid],
        ['temporal', temporal?.process.pid],
        ['postgres', database?.process.pid],
        ...children.map((supervised) => [supervised.name, supervised.child.pid]),
      ]
        .filter(([, pid]) => pid !== undefined)
        .map(([name, pid]) => `${name} ${pid}`)
        .join('\n'),
    );

  let stopping = false;
  const shutdown = async () => {
    stopping = true;
    say('stopping');
    for (const supervised of [...children].reverse()) await supervised.stop(20_000);
    await database?.stop();
    await temporal?.stop();
    rmSync(pidFile, { force: true });
    rmSync(devAddressesFile(config.dataDir), { force: true });
    say('stopped');
  };
  const signal = untilShutdownSignal(() => {
    say('forced exit: killing every process this run started');
    for (const child of [temporal?.process, database?.process, ...children.map((supervised) => supervised.child)]) child?.kill('SIGKILL');
  });

  try {
    const { ip, port } = splitAddress(config.temporal.address);
    say(`starting Temporal dev server on ${config.temporal.address}`);
    temporal = await startTemporalDevServer({
      cliPath: resolveTemporalCli(config.temporal.cliPath, process.env),
      ip,
      port,
      uiPort: config.temporal.uiPort,
      dbFile: join(config.dataDir, 'temporal', 'temporal.db'),
      namespace: config.temporal.namespace,
      // The UI decrypts payloads through the API's codec endpoint, for supervisors and auditors only.
      uiCodecEndpoint: `http://${config.api.host}:${config.api.port}/codec`,
      onOutput: (line) => {
        if (/"level":"(error|fatal)"/.test(line)) console.error(`[temporal] ${line}`);
      },
    });
    recordPids();

    if (config.database.embedded) {
      say(`starting embedded PostgreSQL on 127.0.0.1:${config.database.embeddedPort}`);
      database = await startEmbeddedDatabase({
        dataDir: join(config.dataDir, 'postgres'),
        port: config.database.embeddedPort,
        maxConnections: config.database.embeddedMaxConnections,
        onOutput: (line) => {
          if (/\b(ERROR|FATAL|PANIC):/.test(line)) console.error(`[postgres] ${line}`);
        },
      });
      recordPids();
    }
    const applied = await migrateDatabase(config.database);
    say(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    // Made here, once, so that the API and the worker never race to make the data directory's keys.
    loadPayloadKeys(config.codec.keys);
    const env = { ...configToEnvironment(config), DATABASE_MIGRATE_ON_START: 'false' };
    const dist = (file: string) => fileURLToPath(new URL(file, import.meta.url));
    // The worker's heap is bounded as production runs it (see `start:worker`): V8 then collects
    // before it grows, and the resident size follows what the cached cases really hold.
    // Two malloc arenas rather than eight a core: the SDK's native threads otherwise each keep one.
    const processes: Array<[string, string, string[], Record<string, string>]> = [
      ['worker', './worker.js', [`--max-old-space-size=${config.temporal.workerHeapLimitMib}`, `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`], { MALLOC_ARENA_MAX: '2' }],
      ['api', './main.js', [], {}],
    ];
    for (const [name, script, flags, extraEnv] of processes) {
      children.push(new SupervisedProcess(name, () => startNodeProcess(dist(script), env, flags, extraEnv), { say, onStart: () => recordPids() }));
    }
    recordPids();

    const apiUrl = `http://${config.api.host}:${config.api.port}`;
    // A crashing worker or API is restarted; the system stops when one keeps crashing, or when
    // Temporal or the database (which nothing here can restart safely) is gone.
    const fault = Promise.race([
      ...children.map((supervised) => supervised.gaveUp),
      waitForExit(temporal.process).then(() => 'the Temporal dev server exited'),
      ...(database ? [waitForExit(database.process).then(() => 'the embedded PostgreSQL exited')] : []),
    ]).then((reason) => {
      if (!stopping) say(`${reason}: stopping the system`);
      return 'fault' as const;
    });
    const healthy = waitUntil(
      async () => ((await fetch(`${apiUrl}/health`)).status === 200 ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 500, what: 'the API to report healthy' },
    );
    const first = await Promise.race([healthy, fault, signal]);
    if (first === true) {
      const temporalUiUrl = `${temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`;
      writeDevAddresses(config.dataDir, { apiUrl, temporalUiUrl, namespace: config.temporal.namespace });
      say('ready');
      console.log(
        [
          '',
          `  API            ${apiUrl}/api/v1`,
          `  OpenAPI docs   ${apiUrl}/docs   (document: ${apiUrl}/openapi.json)`,
          `  Health         ${apiUrl}/health`,
          ...browserPageLines(apiUrl, 14),
          `  Temporal UI    ${temporalUiUrl}`,
          `  Temporal gRPC  ${temporal.address}   namespace ${config.temporal.namespace}`,
          `  Database       ${database ? `${config.database.url} (embedded PostgreSQL, ${database.clusterDir})` : 'DATABASE_URL'}`,
          ...metricsLines(config),
          `  Data           ${config.dataDir}`,
          '',
          '  Ctrl-C stops everything; the data directory keeps the cases for the next start.',
          '',
        ].join('\n'),
      );
    }
    const ended = first === true ? await Promise.race([fault, signal]) : first;
    await shutdown();
    return ended === 'fault' ? 1 : 0;
  } catch (error) {
    console.error(`[dev] failed: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown();
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

/** The metrics endpoints, when on (Prometheus text format; docs/operations.md says what each metric means). */
function metricsLines(config: AppConfig): string[] {
  const { metricsHost, apiMetricsPort, workerMetricsPort } = config.telemetry;
  const url = (port: number) => `http://${metricsHost}:${port}/metrics`;
  const ends = [apiMetricsPort > 0 ? `API ${url(apiMetricsPort)}` : '', workerMetricsPort > 0 ? `worker ${url(workerMetricsPort)}` : ''].filter(Boolean);
  return ends.length > 0 ? [`  Metrics        ${ends.join('   ')}`] : [];
}
