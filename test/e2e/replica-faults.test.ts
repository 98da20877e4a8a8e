import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppConfig } from '../../src/config/app-config.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type RunningProcess, startProcess, startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';

const ROUNDS = 6;

/**
 * An API replica killed in the middle of a request: the client, told nothing, sends the same
 * request again with the same Idempotency-Key, and the balancer takes it to the other replica.
 * Whether or not the killed replica had started the case, the contact is recorded once.
 */
describe('an API replica killed mid-request', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  const replacements: RunningProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url);
    stack = await startStack(config, { replicas: 2 });
  });

  afterAll(async () => {
    await Promise.all(replacements.map((running) => running.stop()));
    await stack?.stop();
    await database?.drop();
  });

  it('records each contact once when the client retries with its Idempotency-Key', async () => {
    const token = await tokenFor(Role.ContactHandler, 'pc-kill');
    const headers = (key: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key });
    const body = (round: number) => JSON.stringify({ channel: 'non-emergency-call', caller: { name: `Caller ${round}` }, narrative: `Round ${round}: a lost wallet` });
    const victimUrl = stack.apiUrls[0];
    const port = Number(new URL(victimUrl).port);
    let victim = stack.api;
    const outcomes: string[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const key = `kill-round-${round}-${Date.now()}`;
      // Straight to the replica that is about to die, which is killed a little later each round.
      const first = fetch(`${victimUrl}/api/v1/contacts`, { method: 'POST', headers: headers(key), body: body(round) }).then(
        (answer) => `answered ${answer.status}`,
        () => 'no answer',
      );
      await new Promise((resolve) => setTimeout(resolve, (round - 1) * 15));
      const dead = victim;
      dead.child.kill('SIGKILL');
      outcomes.push(await first);
      if (dead.child.exitCode === null && dead.child.signalCode === null) await new Promise((resolve) => dead.child.once('exit', resolve));
      // The client's retry goes through the balancer, which finds the replica that is left.
      const retry = await fetch(`${stack.apiUrl}/api/v1/contacts`, { method: 'POST', headers: headers(key), body: body(round) });
      expect(retry.status).toBe(201);
      const { reference } = (await retry.json()) as { reference: string };
      // The worker records the case once, under the reference the key owns.
      await waitUntil(async () => ((await database.query('select 1 from contact_case where reference = $1', [reference])).length === 1 ? true : undefined), { timeoutMs: 15_000, what: `round ${round} recorded` });
      const [{ cases, keys }] = await database.query<{ cases: number; keys: number }>(
        `select (select count(*)::int from contact_case c join intake_request i on i.reference = c.reference where i.idempotency_key = $1) as cases,
                (select count(*)::int from intake_request where idempotency_key = $1) as keys`,
        [key],
      );
      expect([round, keys, cases]).toEqual([round, 1, 1]);
      // The replica comes back (as a supervisor would start it) for the next round.
      victim = startProcess('main.js', { ...config, database: { ...config.database, migrateOnStart: false }, api: { ...config.api, port } });
      replacements.push(victim);
      await waitUntil(async () => ((await fetch(`${victimUrl}/health`).catch(() => undefined))?.status === 200 ? true : undefined), { timeoutMs: 30_000, what: 'the replica back' });
    }
    const [{ total }] = await database.query<{ total: number }>(`select count(*)::int as total from contact_case`);
    expect(total).toBe(ROUNDS);
    process.stdout.write(`[replica-faults] ${ROUNDS} rounds; the killed replica's own answer: ${outcomes.join(', ')}\n`);
  });
});
