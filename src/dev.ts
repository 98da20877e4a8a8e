import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppConfig, configToEnvironment, loadConfig } from './config/app-config.js';
import { stopChild, waitForExit, waitUntil } from './infra/child-process.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './infra/embedded-database.js';
import { untilShutdownSignal } from './infra/shutdown-signal.js';
import { resolveTemporalCli } from './infra/temporal-cli.js';
import { type TemporalDevServer, startTemporalDevServer } from './infra/temporal-dev-server.js';
import { migrateDatabase } from './modules/database/migrate.js';
import { loadPayloadKeys } from './modules/temporal/payload-codec.js';

/**
 * The whole system on one machine: Temporal dev server (state in a SQLite file), PGlite served on
 * loopback, the worker and the API. Ctrl-C or SIGTERM stops all of them; the data directory keeps
 * the cases for the next start.
 */
const say = (line: string) => console.log(`[dev] ${line}`);

function splitAddress(address: string): { ip: string; port: number } {
  const at = address.lastIndexOf(':');
  return { ip: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

/** Stops processes an earlier run left behind (for example after a SIGKILL), so ports are free. */
function stopLeftovers(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  for (const pid of readFileSync(pidFile, 'utf8').split('\n').map(Number).filter(Boolean)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/temporal|dist\/(main|worker)\.js/.test(cmdline)) {
        process.kill(pid, 'SIGKILL');
        say(`stopped process ${pid} left by an earlier run`);
      }
    } catch {
      // Not running any more.
    }
  }
  rmSync(pidFile, { force: true });
}

function startNodeProcess(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true, // its own process group: Ctrl-C reaches the dev command, which stops it in order
  });
  child.once('exit', (code, signal) => say(`${name} exited (${signal ?? `code ${code}`})`));
  return child;
}

async function main(): Promise<number> {
  const config: AppConfig = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const pidFile = join(config.dataDir, 'dev.pids');
  stopLeftovers(pidFile);

  let temporal: TemporalDevServer | undefined;
  let database: EmbeddedDatabase | undefined;
  const children: ChildProcess[] = [];
  const recordPids = () =>
    writeFileSync(pidFile, [temporal?.process.pid, ...children.map((child) => child.pid)].filter(Boolean).join('\n'));

  const shutdown = async () => {
    say('stopping');
    for (const child of [...children].reverse()) await stopChild(child, 20_000);
    await database?.stop();
    await temporal?.stop();
    rmSync(pidFile, { force: true });
    say('stopped');
  };
  const signal = untilShutdownSignal(() => {
    say('forced exit: killing every process this run started');
    for (const child of [temporal?.process, ...children]) child?.kill('SIGKILL');
  });

  try {
    const { ip, port } = splitAddress(config.temporal.address);
    say(`starting Temporal dev server on ${config.temporal.address}`);
    temporal = await startTemporalDevServer({
      cliPath: resolveTemporalCli(config.temporal.cliPath),
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
      say(`starting embedded PostgreSQL (PGlite) on 127.0.0.1:${config.database.embeddedPort}`);
      database = await startEmbeddedDatabase({
        dataDir: join(config.dataDir, 'pglite'),
        port: config.database.embeddedPort,
        maxConnections: config.database.embeddedMaxConnections,
      });
    }
    const applied = await migrateDatabase(config.database);
    say(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

    // Made here, once, so that the API and the worker never race to make the data directory's keys.
    loadPayloadKeys(config.codec.keys);
    const env = { ...configToEnvironment(config), DATABASE_MIGRATE_ON_START: 'false' };
    const dist = (file: string) => fileURLToPath(new URL(file, import.meta.url));
    children.push(startNodeProcess('worker', dist('./worker.js'), env));
    children.push(startNodeProcess('api', dist('./main.js'), env));
    recordPids();

    const apiUrl = `http://${config.api.host}:${config.api.port}`;
    const childExit = Promise.race(children.map((child) => waitForExit(child).then(() => 'child-exit' as const)));
    const healthy = waitUntil(
      async () => ((await fetch(`${apiUrl}/health`)).status === 200 ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 500, what: 'the API to report healthy' },
    );
    const first = await Promise.race([healthy, childExit, signal]);
    if (first === true) {
      say('ready');
      console.log(
        [
          '',
          `  API            ${apiUrl}/api/v1`,
          `  OpenAPI docs   ${apiUrl}/docs   (document: ${apiUrl}/openapi.json)`,
          `  Health         ${apiUrl}/health`,
          `  Temporal UI    ${temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`,
          `  Temporal gRPC  ${temporal.address}   namespace ${config.temporal.namespace}`,
          `  Database       ${config.database.embedded ? `${config.database.url} (embedded PGlite)` : 'DATABASE_URL'}`,
          `  Data           ${config.dataDir}`,
          '',
          '  Ctrl-C stops everything; the data directory keeps the cases for the next start.',
          '',
        ].join('\n'),
      );
    }
    const ended = first === true ? await Promise.race([childExit, signal]) : first;
    await shutdown();
    return ended === 'child-exit' ? 1 : 0;
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
