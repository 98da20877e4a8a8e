// Jest loads global set-up outside its module mapping, so this file loads the built code (npm run
// build) at run time and borrows only the types from the sources.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

type ChildProcessModule = typeof import('../../src/modules/platform/process/child-process.js');
type TemporalCliModule = typeof import('../../src/dev/temporal-cli.js');
type DevServerModule = typeof import('../../src/dev/temporal-dev-server.js');
type EmbeddedDatabaseModule = typeof import('../../src/dev/embedded-database.js');
type TemporalServerModule = typeof import('../../src/dev/temporal-server.js');
type RegistrationModule = typeof import('../../src/modules/platform/temporal/search-attribute-registration.js');

/**
 * `TEST_TEMPORAL=cluster` (npm run test:cluster): the real Temporal server, on the run's PostgreSQL
 * with SQL visibility, instead of the CLI's dev server; its namespace is set up as temporal:setup does.
 */
export const clusterProfile = () => process.env.TEST_TEMPORAL === 'cluster';
export const temporalServerDir = () => join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '/root', '.cache'), 'police-contact', 'temporal-server-v1.29.1');

/** How the shared servers are handed to the suites (see temporal-env.ts and test-database.ts). */
export const TEST_NAMESPACE = 'police-contact-test';
export const temporalAddressVariable = 'TEST_TEMPORAL_ADDRESS';
export const testDatabaseServerVariable = 'TEST_EMBEDDED_DATABASE_URL';

interface Shared {
  temporal?: { stop(): Promise<void> };
  database?: { stop(): Promise<void>; dir: string };
  users: number;
}

const built = <T>(path: string): Promise<T> => import(fileURLToPath(new URL(`../../dist/${path}`, import.meta.url))) as Promise<T>;

/**
 * The run's real servers, shared by the projects that need them and stopped by the last one's
 * teardown: a Temporal dev server (in memory), and, unless TEST_DATABASE_URL names a server, the
 * embedded PostgreSQL on a throw-away cluster, in which each suite makes a database of its own.
 */
export default async function globalSetup(globalConfig: { selectProjects?: string[] }, _projectConfig: unknown): Promise<void> {
  const shared = ((globalThis as { __testServers?: Shared }).__testServers ??= { users: 0 });
  shared.users += 1;
  const { findFreePort } = await built<ChildProcessModule>('modules/platform/process/child-process.js');

  if (!process.env.TEST_DATABASE_URL && !shared.database) {
    const { startEmbeddedDatabase } = await built<EmbeddedDatabaseModule>('dev/embedded-database.js');
    const dir = mkdtempSync(join(tmpdir(), 'police-contact-test-postgres-'));
    const server = await startEmbeddedDatabase({ dataDir: join(dir, 'cluster'), port: await findFreePort(), maxConnections: 200, durable: false });
    shared.database = { stop: async () => { await server.discard(); rmSync(dir, { recursive: true, force: true }); }, dir };
    process.env[testDatabaseServerVariable] = server.url;
  }

  // Jest runs a global set-up file once for all the projects that name it, with the first project's
  // configuration (which one is first depends on the order its cache gives the tests): so Temporal
  // is left out only when the database project alone was asked for.
  const selected = globalConfig?.selectProjects;
  if (shared.temporal || (selected !== undefined && selected.length > 0 && selected.every((name) => name === 'database'))) return;
  if (clusterProfile()) {
    const { startTemporalServer } = await built<TemporalServerModule>('dev/temporal-server.js');
    const { ensureNamespace, registerSearchAttributes } = await built<RegistrationModule>('modules/platform/temporal/search-attribute-registration.js');
    const { findFreePort } = await built<ChildProcessModule>('modules/platform/process/child-process.js');
    const { Connection } = await import('@temporalio/client');
    const serverUrl = process.env.TEST_DATABASE_URL ?? process.env[testDatabaseServerVariable]!;
    const workDir = mkdtempSync(join(tmpdir(), 'police-contact-test-temporal-'));
    const server = await startTemporalServer({ binDir: temporalServerDir(), databaseUrl: serverUrl, databasePrefix: `temporal_${process.pid}`, workDir, port: await findFreePort() });
    const connection = await Connection.connect({ address: server.address });
    try {
      await ensureNamespace(connection, TEST_NAMESPACE, 1);
      await registerSearchAttributes(connection, TEST_NAMESPACE);
    } finally {
      await connection.close();
    }
    shared.temporal = { stop: async () => { await server.stop(); rmSync(workDir, { recursive: true, force: true }); } };
    process.env[temporalAddressVariable] = server.address;
    return;
  }
  const { resolveTemporalCli } = await built<TemporalCliModule>('dev/temporal-cli.js');
  const { startTemporalDevServer } = await built<DevServerModule>('dev/temporal-dev-server.js');
  const server = await startTemporalDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI, process.env),
    port: await findFreePort(),
    headless: true,
    namespace: TEST_NAMESPACE,
  });
  shared.temporal = server;
  process.env[temporalAddressVariable] = server.address;
}
