import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig } from '../../src/config/app-config.js';
import { formatReference } from '../../src/domain/reference.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { startStack, type Stack } from '../support/stack.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('intake with an Idempotency-Key', () => {
  let database: TestDatabase;
  let stack: Stack;
  let handler: ApiClient;
  let config: AppConfig;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-3301');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  const body = { channel: 'web-form', channelDetails: { title: 'Theft from vehicle' }, caller: { name: 'C. Caller' }, narrative: 'Someone took my sat nav' };

  it('gives ten concurrent repeats one case and one workflow, whichever of them starts it', async () => {
    // Any repeat may reach Temporal before the request that claimed the key: several rounds make
    // that race likely, and every one of them must still answer 201 with the one reference.
    const rounds = await Promise.all(
      Array.from({ length: 4 }, async (_, round) => {
        const key = `intake-${Date.now()}-${round}`;
        const answers = await Promise.all(Array.from({ length: 10 }, () => handler.post<{ reference: string; replayed: boolean }>('/contacts', body, { 'Idempotency-Key': key })));
        return { key, answers };
      }),
    );
    for (const { answers } of rounds) {
      expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(201));
      expect(new Set(answers.map((answer) => answer.body.reference)).size).toBe(1);
      expect(answers.filter((answer) => !answer.body.replayed)).toHaveLength(1);
    }
    expect(new Set(rounds.map(({ answers }) => answers[0].body.reference)).size).toBe(4);
    for (const { key, answers } of rounds) {
      const reference = answers[0].body.reference;
      await waitUntil(async () => ((await database.query('select 1 from contact_case where reference = $1', [reference])).length ? true : undefined), {
        timeoutMs: 15_000,
        what: 'the case record',
      });
      const counts = await database.query<{ cases: number; requests: number; received: number }>(
        `select (select count(*)::int from contact_case where reference = $2) as cases,
                (select count(*)::int from intake_request where idempotency_key = $1) as requests,
                (select count(*)::int from case_event where reference = $2 and type = 'received') as received`,
        [key, reference],
      );
      expect(counts[0]).toEqual({ cases: 1, requests: 1, received: 1 });
    }
    const reference = rounds[0].answers[0].body.reference;

    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: TEST_NAMESPACE });
      const runs = await waitUntil(
        async () => {
          const found = [];
          for await (const execution of client.workflow.list({ query: `WorkflowId = 'contact-${reference}'` })) found.push(execution.runId);
          return found.length > 0 ? found : undefined;
        },
        { timeoutMs: 15_000, what: 'the workflow to be visible' },
      );
      expect(runs).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });

  it('refuses the same key with a different body, naming the header', async () => {
    const key = `intake-other-${Date.now()}`;
    expect((await handler.post('/contacts', body, { 'Idempotency-Key': key })).status).toBe(201);
    const reused = await handler.post<{ fields: Array<{ field: string }> }>('/contacts', { ...body, narrative: 'Something else entirely' }, { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.fields.map((problem) => problem.field)).toEqual(['Idempotency-Key']);
  });

  it('applies a command retried with the same Idempotency-Key once', async () => {
    const created = await handler.post<{ reference: string }>('/contacts', body);
    const path = `/contacts/${created.body.reference}/notes`;
    const key = `note-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => handler.post<{ noteCount: number }>(path, { text: 'Called back' }, { 'Idempotency-Key': key })));
    expect(answers.map((answer) => [answer.status, answer.body.noteCount])).toEqual(Array(5).fill([201, 1]));
    const notes = await database.query<{ n: number }>('select count(*)::int as n from case_note where reference = $1', [created.body.reference]);
    expect(notes[0].n).toBe(1);
  });

  it('refuses an intake whose fresh reference already has a workflow, rather than mixing two cases', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const [{ last }] = await database.query<{ last: number }>('select coalesce(max(last_value), 0)::int as last from reference_sequence where day = $1', [day]);
    const next = formatReference(config.force.code, day, last + 1);
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: TEST_NAMESPACE });
      const squatter = await client.workflow.start('contactCaseWorkflow', { workflowId: `contact-${next}`, taskQueue: 'nobody-serves-this', args: [{}] });
      const answer = await handler.post<{ code: string; message: string }>('/contacts', body);
      expect(answer.status).toBe(409);
      expect(answer.body.message).toContain(next);
      expect((await squatter.describe()).taskQueue).toBe('nobody-serves-this');
      await squatter.terminate('test done');
    } finally {
      await connection.close();
    }
    expect(await database.query('select 1 from contact_case where reference = $1', [next])).toEqual([]);
  });
});
