import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { Role } from '../../src/domain/roles.js';
import { tokenFor } from '../support/test-tokens.js';

interface SystemCheckView {
  checkId: string;
  workflowId: string;
  workflowStatus: string | null;
  record: { requestedAt: string; recordedAt: string; workerIdentity: string; requestedBy: { subject: string; role: string } } | null;
}

describe('the running system, end to end', () => {
  let database: TestDatabase;
  let stack: Stack;
  let auth: { authorization: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack(testConfig(database.url));
    auth = { authorization: `Bearer ${await tokenFor(Role.Administrator, 'pc-1234')}` };
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('answers /health with up and nothing more to anyone, and each component up to an administrator', async () => {
    const open = await fetch(`${stack.apiUrl}/health`);
    expect({ status: open.status, body: await open.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    // Every answer carries the security headers.
    expect(Object.fromEntries(['content-security-policy', 'x-content-type-options', 'referrer-policy', 'strict-transport-security', 'x-powered-by'].map((name) => [name, open.headers.get(name)]))).toEqual({
      'content-security-policy': expect.stringMatching(/default-src 'self'.*frame-ancestors 'none'/),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-powered-by': null,
    });
    expect((await fetch(`${stack.apiUrl}/api/v1/health/details`)).status).toBe(401);
    expect((await fetch(`${stack.apiUrl}/api/v1/health/details`, { headers: { authorization: `Bearer ${await tokenFor(Role.ContactHandler, 'pc-smoke')}` } })).status).toBe(403);
    const response = await fetch(`${stack.apiUrl}/api/v1/health/details`, { headers: auth });
    const body = (await response.json()) as { status: string; down: string[]; checks: Record<string, { status: string }> };
    expect(response.status).toBe(200);
    expect(body.down).toEqual([]);
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.temporal.status).toBe('up');
  });

  it('starts a workflow through the API that the worker runs, whose activity writes a row', async () => {
    const started = await fetch(`${stack.apiUrl}/api/v1/system-checks`, { method: 'POST', headers: auth });
    expect(started.status).toBe(202);
    const { checkId, workflowId } = (await started.json()) as { checkId: string; workflowId: string };
    expect(workflowId).toBe(`system-check-${checkId}`);

    const view = await waitUntil(
      async () => {
        const response = await fetch(`${stack.apiUrl}/api/v1/system-checks/${checkId}`, { headers: auth });
        const body = (await response.json()) as SystemCheckView;
        return body.workflowStatus === 'COMPLETED' && body.record ? body : undefined;
      },
      { timeoutMs: 30_000, what: 'the system check to complete' },
    );
    expect(view.record?.workerIdentity).toMatch(/:\d+$/);
    expect(view.record).toMatchObject({ requestedBy: { subject: 'pc-1234', role: 'administrator' } });

    const rows = await database.query<{ id: string; workflow_id: string; worker_identity: string }>(
      'select id, workflow_id, worker_identity from system_check where id = $1',
      [checkId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workflow_id: workflowId, worker_identity: `${view.record?.workerIdentity}` });
    expect(rows[0].worker_identity).toContain(String(stack.worker?.child.pid));
  });

  it('names the bad field in a 400', async () => {
    const response = await fetch(`${stack.apiUrl}/api/v1/system-checks/not-a-uuid`, { headers: auth });
    const body = (await response.json()) as { code: string; fields: { field: string }[] };
    expect(response.status).toBe(400);
    expect(body.code).toBe('invalid_input');
    expect(body.fields.map((problem) => problem.field)).toEqual(['checkId']);
  });

  it('answers 404 for a check that never existed', async () => {
    const response = await fetch(`${stack.apiUrl}/api/v1/system-checks/6f1c1b9e-6f55-4a43-9d0e-6f0c8a1e2b3c`, { headers: auth });
    expect(response.status).toBe(404);
  });

  it('serves the OpenAPI document and its docs page', async () => {
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/api/v1/system-checks', '/api/v1/system-checks/{checkId}']));
    const docs = await fetch(`${stack.apiUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger');
  });
});
