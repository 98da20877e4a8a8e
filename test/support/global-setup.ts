// Jest loads global set-up outside its module mapping, so this file loads the built code (npm run
// build) at run time and borrows only the types from the sources.
import { fileURLToPath } from 'node:url';

type ChildProcessModule = typeof import('../../src/infra/child-process.js');
type TemporalCliModule = typeof import('../../src/infra/temporal-cli.js');
type DevServerModule = typeof import('../../src/infra/temporal-dev-server.js');

/** How the shared server is handed to the suites (see temporal-env.ts). */
export const TEST_NAMESPACE = 'police-contact-test';
export const temporalAddressVariable = 'TEST_TEMPORAL_ADDRESS';

interface Shared {
  server?: { stop(): Promise<void> };
  users: number;
}

const built = <T>(path: string): Promise<T> => import(fileURLToPath(new URL(`../../dist/${path}`, import.meta.url))) as Promise<T>;

/** One real Temporal dev server (in memory) for the whole run, shared by the projects that need it. */
export default async function globalSetup(): Promise<void> {
  const shared = ((globalThis as { __temporalTestServer?: Shared }).__temporalTestServer ??= { users: 0 });
  shared.users += 1;
  if (shared.server) return;
  const { findFreePort } = await built<ChildProcessModule>('infra/child-process.js');
  const { resolveTemporalCli } = await built<TemporalCliModule>('infra/temporal-cli.js');
  const { startTemporalDevServer } = await built<DevServerModule>('infra/temporal-dev-server.js');
  const server = await startTemporalDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI),
    port: await findFreePort(),
    headless: true,
    namespace: TEST_NAMESPACE,
  });
  shared.server = server;
  process.env[temporalAddressVariable] = server.address;
}
