import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configToEnvironment } from '../../src/config/app-config.js';
import { savedViews } from '../../src/modules/platform/temporal/saved-views.js';
import { ensureNamespace } from '../../src/modules/platform/temporal/search-attribute-registration.js';
import { Role } from '../../src/domain/roles.js';
import { caseSearchAttributeKeys } from '../../src/workflows/search-attributes.js';
import { apiAs } from '../support/api-client.js';
import { tokenFor } from '../support/test-tokens.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server.js';
import { startProcess, startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { clusterProfile } from '../support/global-setup.js';
import { testTemporalAddress } from '../support/temporal-env.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Health {
  status: string;
  down: string[];
  checks: Record<'database' | 'temporal' | 'namespace', { status: string; error?: string }>;
}

/**
 * The details, as an administrator reads them; each time, the public answer is checked to agree on
 * up or down and to say nothing more.
 */
const health = async (apiUrl: string) => {
  const [response, open] = await Promise.all([
    fetch(`${apiUrl}/api/v1/health/details`, { headers: { authorization: `Bearer ${await tokenFor(Role.Administrator, 'admin-health')}` } }),
    fetch(`${apiUrl}/health`),
  ]);
  const body = (await response.json()) as Health;
  expect({ status: open.status, body: await open.json() }).toEqual({ status: response.status, body: { status: body.status } });
  return { status: response.status, body };
};

describe('GET /health when Temporal goes away', () => {
  let database: TestDatabase;
  let temporal: TemporalDevServer;
  let stack: Stack;

  beforeAll(async () => {
    database = await createTestDatabase();
    // A Temporal server of this suite's own, so that stopping it leaves the other suites theirs.
    temporal = await startTemporalDevServer({
      cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI, process.env),
      port: await findFreePort(),
      headless: true,
      namespace: 'police-contact-health',
    });
    stack = await startStack(
      testConfig(database.url, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'police-contact-health' }),
      { worker: false },
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await temporal?.stop();
    await database?.drop();
  });

  it('answers 200 while both are up, then 503 naming Temporal once its server stops', async () => {
    const before = await health(stack.apiUrl);
    expect(before.status).toBe(200);
    expect(before.body.status).toBe('ok');

    await temporal.stop();

    const after = await waitUntil(
      async () => {
        const answer = await health(stack.apiUrl);
        return answer.status === 503 ? answer : undefined;
      },
      { timeoutMs: 20_000, what: '/health to report Temporal down' },
    );
    expect(after.body.status).toBe('degraded');
    expect(after.body.down).toEqual(['temporal']);
    expect(after.body.checks.temporal.status).toBe('down');
    expect(after.body.checks.temporal.error).toEqual(expect.any(String));
    expect(after.body.checks.database.status).toBe('up');
    expect(after.body.checks.namespace.error).toBe('Temporal is down');

    // An intake now cannot start its case: 503, and the caller's identity is not kept either (it
    // would match the caller, for ever, to an open case that does not exist).
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-health');
    const refused = await handler.post('/contacts', { channel: 'non-emergency-call', caller: { name: 'Iris Fenwood', phone: '+447700900456' }, narrative: 'Fence panels stolen overnight' });
    expect(refused.status).toBe(503);
    expect(await database.query('select count(*)::int as n from caller_identity')).toEqual([{ n: 0 }]);
  }, 120_000);
});

describe('GET /health when the database is unreachable', () => {
  it('answers 503 naming the database, with Temporal up', async () => {
    const closedPort = await findFreePort();
    const config = testConfig(`postgres://postgres@127.0.0.1:${closedPort}/postgres`, {
      DATABASE_MIGRATE_ON_START: 'false',
      API_PORT: String(await findFreePort()),
    });
    const api = startProcess('main.js', config);
    try {
      const answer = await waitUntil(
        async () => {
          if (api.child.exitCode !== null) throw new Error(`API exited: ${api.output.join('')}`);
          return await health(`http://127.0.0.1:${config.api.port}`);
        },
        { timeoutMs: 30_000, what: 'the API to answer /health' },
      );
      expect(answer.status).toBe(503);
      expect(answer.body.down).toEqual(['database']);
      expect(answer.body.checks.temporal.status).toBe('up');
    } finally {
      await api.stop();
    }
  });
});

/**
 * On a server of its own (the dev server), or under the cluster profile on the run's real Temporal
 * server, whose SQL visibility is the one production has: every view must run there.
 */
describe('a namespace that is not set up for cases', () => {
  let database: TestDatabase;
  let temporal: Pick<TemporalDevServer, 'address' | 'stop'>;
  let connection: Connection;
  let stack: Stack;
  const bare = 'police-contact-bare';

  beforeAll(async () => {
    database = await createTestDatabase();
    temporal = clusterProfile()
      ? { address: testTemporalAddress(), stop: () => Promise.resolve() }
      : await startTemporalDevServer({ cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI, process.env), port: await findFreePort(), headless: true, namespace: 'police-contact-other' });
    connection = await Connection.connect({ address: temporal.address });
    // A namespace made by hand, as an operator might: none of the case search attributes.
    expect(await ensureNamespace(connection, bare, 1)).toBe('created');
    stack = await startStack(testConfig(database.url, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: bare }), { worker: false, expectHealthy: false });
  });

  afterAll(async () => {
    await stack?.stop();
    await connection?.close();
    await temporal?.stop();
    await database?.drop();
  });

  /** `npm run temporal:setup`, as an operator runs it, against this suite's server. */
  const setUp = (namespace: string, ...args: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const env = { ...process.env, ...configToEnvironment(testConfig(database.url, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: namespace })) };
      execFile(process.execPath, [fileURLToPath(new URL('../../dist/cli/temporal-setup.js', import.meta.url)), ...args], { env }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
      );
    });

  it('answers 503 on /health naming every missing search attribute, and a clear 503 to an intake', async () => {
    const answer = await health(stack.apiUrl);
    expect(answer.status).toBe(503);
    expect(answer.body.down).toEqual(['namespace']);
    expect(answer.body.checks.temporal.status).toBe('up');
    for (const key of caseSearchAttributeKeys) expect(answer.body.checks.namespace.error).toContain(key.name);
    expect(answer.body.checks.namespace.error).toContain('npm run temporal:setup');
    // The API said so as it started, in its log.
    const said = await waitUntil(async () => Promise.resolve(stack.api.output.join('').includes('the Temporal namespace is not ready for cases') ? stack.api.output.join('') : undefined), { timeoutMs: 10_000, what: 'the start-up check in the log' });
    expect(said).toContain('CaseOpenAlert');

    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-404');
    const intake = await handler.post<{ code: string; message: string }>('/contacts', { channel: 'non-emergency-call', caller: { name: 'A Caller' }, narrative: 'Lost wallet' });
    expect(intake.status).toBe(503);
    expect(intake.body.code).toBe('dependency_unavailable');
    expect(intake.body.message).toContain('npm run temporal:setup');
  });

  it('is set up by temporal:setup, which says what it did in words; then cases start and every saved view runs', async () => {
    const setup = await setUp(bare);
    expect(setup.code).toBe(0);
    expect(setup.output).toContain(`The namespace ${bare} is there`);
    expect(setup.output).toContain(`Registered on ${bare}: ${caseSearchAttributeKeys.map((key) => key.name).join(', ')}`);
    expect(setup.output).not.toContain('http://');
    expect((await setUp(bare)).output).toContain(`Every case search attribute is already registered on ${bare}`);

    const healthy = await waitUntil(async () => ((await health(stack.apiUrl)).status === 200 ? true : undefined), { timeoutMs: 20_000, what: '/health to pass once set up' });
    expect(healthy).toBe(true);
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-404');
    expect((await handler.post('/contacts', { channel: 'non-emergency-call', caller: { name: 'A Caller' }, narrative: 'Lost wallet' })).status).toBe(201);

    // Every view runs on the namespace's visibility store (none has an ORDER BY, which SQL visibility
    // refuses), and finds what it should: the one open case, which is in no other view yet.
    const client = new Client({ connection, namespace: bare });
    const counts = async () => {
      const found: Record<string, number> = {};
      for (const view of savedViews) {
        found[view.name] = 0;
        for await (const _workflow of client.workflow.list({ query: view.query })) found[view.name] += 1;
      }
      return found;
    };
    const expected = Object.fromEntries(savedViews.map((view) => [view.name, view.name === 'All open cases' ? 1 : 0]));
    const seen = await waitUntil(async () => {
      const found = await counts();
      return JSON.stringify(found) === JSON.stringify(expected) ? found : undefined;
    }, { timeoutMs: 15_000, what: 'the views to find the open case' });
    expect(seen).toEqual(expected);
  });

  it('creates a missing namespace with the retention asked for, and fails in words when Temporal cannot be reached', async () => {
    const created = await setUp('police-contact-new', '--retention-days', '7', '--ui-url', 'https://temporal-ui.force.example');
    expect(created.code).toBe(0);
    expect(created.output).toContain('Created the namespace police-contact-new');
    expect(created.output).toContain('for 7 days');
    expect(created.output).toContain('https://temporal-ui.force.example/namespaces/police-contact-new/workflows?query=');
    const described = await connection.workflowService.describeNamespace({ namespace: 'police-contact-new' });
    expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);

    const unreachable = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const env = { ...process.env, ...configToEnvironment(testConfig(database.url, { TEMPORAL_ADDRESS: `127.0.0.1:${1}` })) };
      execFile(process.execPath, [fileURLToPath(new URL('../../dist/cli/temporal-setup.js', import.meta.url))], { env }, (error, stdout, stderr) => resolve({ code: error ? 1 : 0, output: `${stdout}${stderr}` }));
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toMatch(/^Cannot reach Temporal at 127\.0\.0\.1:1 \(TEMPORAL_ADDRESS\)/);
    expect(unreachable.output).not.toMatch(/\n\s+at /);
  });
});
