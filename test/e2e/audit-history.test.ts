import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { type AppConfig, configToEnvironment } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { startStack, type Stack } from '../support/stack.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
const cli = (script: string) => fileURLToPath(new URL(`../../dist/cli/${script}`, import.meta.url));

interface Timeline {
  source: string;
  policyVersion: string;
  items: Array<{ kind: string; actor: string; text: string }>;
}

/**
 * What auditors rely on, through the running system: a closed case's history is archived into the
 * case store, reads as a timeline, replays against the current code, and still does so once the
 * workflow is gone from Temporal; the audit chain verifies; every read is logged.
 */
describe('auditing a closed case', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let auditor: ApiClient;
  let reference: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    stack = await startStack(config);
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-8080');
    auditor = await apiAs(stack.apiUrl, Role.Auditor, 'aud-3');
    const created = await handler.post<{ reference: string }>('/contacts', { channel: Channel.WebForm, channelDetails: { title: 'Lost phone' }, caller: { name: 'Iris Vale' }, narrative: 'I lost my phone in the park' });
    reference = created.body.reference;
    const path = `/contacts/${reference}`;
    // The timeline must show the 48 h clock's timer. The workflow sets it once the intake is
    // recorded, unless a command has already arrived in the same workflow task: so wait for it.
    await waitUntil(
      async () => {
        const live = await auditor.get<Timeline>(`${path}/history`);
        return live.status === 200 && live.body.items.some((item) => item.kind === 'timer-set') ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the case to set its first timer' },
    );
    for (const [route, body] of [
      ['assessments', assessment({}, 4)],
      ['incident', { openingCategory: 'lost-found-property', qualifiers: [] }],
      ['resolution', { outcome: 'signposted', closingCategory: 'lost-found-property', signpostedTo: 'the lost property office' }],
    ] as const) {
      const answer = await handler.post(`${path}/${route}`, body);
      expect([route, answer.status]).toEqual([route, 201]);
    }
    await waitUntil(async () => ((await database.query('select 1 from case_history where reference = $1', [reference])).length > 0 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the closed case history to be archived',
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  it('archives the whole history, payloads still encrypted, and reads it as a timeline', async () => {
    const [row] = await database.query<{ event_count: number; history: { events: unknown[] } }>('select event_count, history from case_history where reference = $1', [reference]);
    expect(row.history.events).toHaveLength(row.event_count);
    expect(JSON.stringify(row.history)).not.toContain('Iris');
    expect(JSON.stringify(row.history)).toContain('YmluYXJ5L2VuY3J5cHRlZA=='); // "binary/encrypted"

    const timeline = await auditor.get<Timeline>(`/contacts/${reference}/history`);
    expect(timeline.status).toBe(200);
    expect(timeline.body).toMatchObject({ source: 'archive', policyVersion: expect.any(String) });
    const kinds = timeline.body.items.map((item) => [item.kind, item.actor, item.text]);
    expect(kinds).toContainEqual(['opened', 'pc-8080 (contact-handler)', expect.stringContaining('case opened from web-form under policy')]);
    expect(kinds).toContainEqual(['command', 'pc-8080 (contact-handler)', 'assess accepted']);
    // The case sleeps on its nearest alarm: the waiting submission's first risk review, before its 48 h deadline.
    expect(kinds).toContainEqual(['timer-set', 'system', expect.stringContaining("waiting web submission's risk reviewed (4 h): warning, at ")]);
    expect(kinds).toContainEqual(['completed', 'system', 'case workflow completed']);
    expect(JSON.stringify(timeline.body)).not.toContain('Iris');
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-8080');
    expect((await handler.get(`/contacts/${reference}/history`)).status).toBe(403);
  });

  it('replays the case against the current code, and still does once its workflow is deleted from Temporal', async () => {
    const live = await auditor.get<{ reproduced: boolean; verdict: string; source: string }>(`/contacts/${reference}/replay`);
    expect(live.body).toMatchObject({ reproduced: true, verdict: 'all decisions reproduced', source: 'archive' });

    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: TEST_NAMESPACE });
      await client.workflowService.deleteWorkflowExecution({ namespace: TEST_NAMESPACE, workflowExecution: { workflowId: contactCaseWorkflowId(reference) } });
      await waitUntil(
        async () => {
          try {
            await client.workflow.getHandle(contactCaseWorkflowId(reference)).describe();
            return undefined;
          } catch (error) {
            if (error instanceof WorkflowNotFoundError) return true;
            throw error;
          }
        },
        { timeoutMs: 90_000, intervalMs: 1_000, what: 'the workflow to be deleted' },
      );
    } finally {
      await connection.close();
    }
    const afterDeletion = await auditor.get<{ reproduced: boolean; verdict: string; source: string; events: number }>(`/contacts/${reference}/replay`);
    expect(afterDeletion.body).toMatchObject({ reproduced: true, verdict: 'all decisions reproduced', source: 'archive' });
    expect(afterDeletion.body.events).toBeGreaterThan(10);
    expect((await auditor.get(`/contacts/${reference}/history`)).status).toBe(200);

    const env = { ...process.env, ...configToEnvironment(config), LOG_LEVEL: 'silent' };
    const replayed = await run(process.execPath, [cli('audit-replay.js'), '--all'], { env });
    expect(replayed.stdout).toContain('1 cases replayed: 1 reproduced every decision, 0 diverged');
    const verified = await run(process.execPath, [cli('audit-verify.js'), reference], { env });
    expect(verified.stdout).toMatch(/1 case, \d+ audit entries: intact/);
  }, 150_000);

  it('verifies the audit chain through the API for auditors, and logs who read the case', async () => {
    const report = await auditor.get<{ intact: boolean; cases: number }>(`/audit/verify?reference=${reference}`);
    expect(report.body).toMatchObject({ intact: true, cases: 1 });
    expect((await auditor.get('/audit/verify?reference=nonsense')).status).toBe(400);
    const reads = await database.query<{ subject: string; action: string }>('select subject, action from case_access_log where reference = $1 order by id', [reference]);
    expect(reads).toEqual(expect.arrayContaining([{ subject: 'aud-3', action: 'history' }, { subject: 'aud-3', action: 'replay' }]));
  });
});
