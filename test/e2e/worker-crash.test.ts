import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppConfig } from '../../src/config/app-config.js';
import { waitUntil } from '../../src/infra/child-process.js';
import { Role } from '../../src/modules/access/roles.js';
import { apiAs } from '../support/api-client.js';
import { type RunningProcess, startProcess, startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const TOTAL = 30;
const LANES = 3;
const KILL_AFTER = 8;

describe('the worker killed during a stream of intakes', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let replacement: RunningProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url, { DATABASE_MIGRATE_ON_START: 'false' });
    stack = await startStack(config);
  });

  afterAll(async () => {
    await replacement?.stop();
    await stack?.stop();
    await database?.drop();
  });

  it('loses no case and writes no row twice once a worker is back', async () => {
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-4401');
    const answers: Array<{ status: number; reference: string }> = [];
    let killedAt: number | undefined;
    let recordedWhenReplaced: Promise<number> | undefined;

    await Promise.all(
      Array.from({ length: LANES }, async (_, lane) => {
        for (let index = 0; index < TOTAL / LANES; index += 1) {
          const answer = await handler.post<{ reference: string }>('/contacts', {
            channel: 'email',
            caller: { email: `caller${lane}-${index}@example.org` },
            narrative: `Report ${lane}-${index}: my garden shed was broken into`,
          });
          answers.push({ status: answer.status, reference: answer.body.reference });
          if (answers.length === KILL_AFTER && killedAt === undefined) {
            killedAt = Date.now();
            stack.worker!.child.kill('SIGKILL');
            // A new worker after a pause, as a supervisor (systemd, Kubernetes) would start one.
            setTimeout(() => {
              recordedWhenReplaced = database.query<{ n: number }>('select count(*)::int as n from contact_case').then(([row]) => row.n);
              replacement = startProcess('worker.js', config);
            }, 2_000);
          }
        }
      }),
    );

    expect(killedAt).toBeDefined();
    expect(answers.map((answer) => answer.status)).toEqual(Array(TOTAL).fill(201));
    const references = answers.map((answer) => answer.reference);
    expect(new Set(references).size).toBe(TOTAL);

    await waitUntil(
      async () => {
        const [{ n }] = await database.query<{ n: number }>('select count(*)::int as n from contact_case');
        return n >= TOTAL ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'every case to be recorded by the new worker' },
    );
    // The killed worker left cases unrecorded, and the new one recorded them.
    expect(await recordedWhenReplaced).toBeLessThan(TOTAL);
    const cases = await database.query<{ reference: string }>('select reference from contact_case order by reference');
    expect(cases.map((row) => row.reference)).toEqual([...references].sort());
    const received = await database.query<{ reference: string; n: number }>(
      "select reference, count(*)::int as n from case_event where type = 'received' group by reference",
    );
    expect(received).toHaveLength(TOTAL);
    expect(received.every((row) => row.n === 1)).toBe(true);

    // The cases work on the new worker.
    const note = await handler.post(`/contacts/${references[0]}/notes`, { text: 'Still there after the restart' });
    expect(note.status).toBe(201);
  }, 180_000);
});
