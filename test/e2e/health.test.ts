import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { findFreePort, waitUntil } from '../../src/infra/child-process.js';
import { resolveTemporalCli } from '../../src/infra/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/infra/temporal-dev-server.js';
import { startProcess, startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Health {
  status: string;
  down: string[];
  checks: Record<'database' | 'temporal', { status: string; error?: string }>;
}

const health = async (apiUrl: string) => {
  const response = await fetch(`${apiUrl}/health`);
  return { status: response.status, body: (await response.json()) as Health };
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
  });
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
