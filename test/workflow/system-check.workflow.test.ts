import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { SystemCheckActivitiesProvider } from '../../src/activities/system-check.activities.js';
import { type AppConfig } from '../../src/config/app-config.js';
import {
  type SystemCheckInput,
  type SystemCheckResult,
  systemCheckWorkflowId,
  systemCheckWorkflowType,
} from '../../src/workflows/system-check.messages.js';
import { type TestDatabase } from '../support/test-database.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

describe('system-check workflow on a real Temporal server', () => {
  let harness: WorkerHarness;
  let database: TestDatabase;
  let config: AppConfig;
  let client: Client;

  beforeAll(async () => {
    harness = await startWorkerHarness();
    ({ database, config, client } = harness);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const run = (input: SystemCheckInput) =>
    client.workflow.execute(systemCheckWorkflowType, {
      workflowId: systemCheckWorkflowId(input.checkId),
      taskQueue: config.temporal.taskQueue,
      args: [input],
    }) as Promise<SystemCheckResult>;

  it('records the check through its activity and returns the stored row', async () => {
    const checkId = randomUUID();
    const requestedAt = '2026-11-23T09:30:00.000Z';
    const requestedBy = { subject: 'pc-1234', role: 'administrator' };
    const result = await run({ checkId, requestedAt, requestedBy });

    expect(result.checkId).toBe(checkId);
    const rows = await database.query<{
      workflow_id: string;
      requested_at: Date;
      worker_identity: string;
      requested_by_subject: string;
      requested_by_role: string;
    }>(
      'select workflow_id, requested_at, worker_identity, requested_by_subject, requested_by_role from system_check where id = $1',
      [checkId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].workflow_id).toBe(systemCheckWorkflowId(checkId));
    expect(rows[0].requested_at.toISOString()).toBe(requestedAt);
    expect(rows[0].worker_identity).toBe(result.workerIdentity);
    expect(rows[0]).toMatchObject({ requested_by_subject: 'pc-1234', requested_by_role: 'administrator' });
    expect(result.requestedBy).toEqual(requestedBy);
  });

  it('writes nothing twice when its activity is retried', async () => {
    const checkId = randomUUID();
    const input = { checkId, requestedAt: new Date().toISOString(), requestedBy: { subject: 'pc-77', role: 'administrator' } };
    const first = await run(input);

    const activities = harness.worker.get(SystemCheckActivitiesProvider);
    const retried = await activities.recordSystemCheck({ ...input, workflowId: systemCheckWorkflowId(checkId) });

    expect(retried).toEqual(first);
    const count = await database.query<{ n: number }>('select count(*)::int as n from system_check where id = $1', [checkId]);
    expect(count[0].n).toBe(1);
  });

  it('keeps its history on the server, where the workflow id names no person', async () => {
    const checkId = randomUUID();
    await run({ checkId, requestedAt: new Date().toISOString(), requestedBy: { subject: 'pc-77', role: 'administrator' } });
    const history = await client.workflow.getHandle(systemCheckWorkflowId(checkId)).fetchHistory();
    const types = (history.events ?? []).map((event) => event.eventType);
    expect(types.length).toBeGreaterThan(5);
    expect(systemCheckWorkflowId(checkId)).toMatch(/^system-check-[0-9a-f-]{36}$/);
  });
});
