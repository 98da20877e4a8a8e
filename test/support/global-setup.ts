// Jest loads global set-up outside its module mapping, so it uses the built code (npm run build).
import { findFreePort } from '../../dist/infra/child-process.js';
import { resolveTemporalCli } from '../../dist/infra/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../dist/infra/temporal-dev-server.js';

/** How the shared server is handed to the suites (see temporal-env.ts). */
export const TEST_NAMESPACE = 'police-contact-test';
export const temporalAddressVariable = 'TEST_TEMPORAL_ADDRESS';

interface Shared {
  server?: TemporalDevServer;
  users: number;
}

/** One real Temporal dev server (in memory) for the whole run, shared by the projects that need it. */
export default async function globalSetup(): Promise<void> {
  const shared = ((globalThis as { __temporalTestServer?: Shared }).__temporalTestServer ??= { users: 0 });
  shared.users += 1;
  if (shared.server) return;
  shared.server = await startTemporalDevServer({
    cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI),
    port: await findFreePort(),
    headless: true,
    namespace: TEST_NAMESPACE,
  });
  process.env[temporalAddressVariable] = shared.server.address;
}
