import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppConfig } from '../../src/config/app-config.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { FakePlatform, signPlatformBody } from '../support/fake-platform.js';
import { startStack, type Stack } from '../support/stack.js';
import { reconcile, resync } from '../support/store-tools.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TemporalClientService } from '../../src/modules/platform/temporal/temporal-client.module.js';
import { storeReconciliationScheduleId } from '../../src/workflows/store-reconciliation.messages.js';

const SECRET = 'platform-secret-shared-with-the-connector-0123456789';
/** Half an emoji: what a chat widget sends when it cuts a message mid-character. */
const HALF = 'Jane \ud83d';

interface Problem {
  field: string;
  message: string;
}

/**
 * What people read is what each case decided: the case store written only from the history, once
 * per change, with every decision's reasons; keys bound to their requests; nothing a client types
 * able to stop a case; commands sent at once all taken; and `audit:reconcile` finding nothing.
 */
describe('the case store as an exact projection of each case', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let platform: FakePlatform;
  let handler: ApiClient;
  let supervisor: ApiClient;
  let connector: ApiClient;
  let auditor: ApiClient;
  const count = async (sql: string, params: unknown[] = []) => (await database.query<{ n: number }>(sql, params))[0].n;

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = new FakePlatform(SECRET);
    await platform.start();
    config = testConfig(database.url, { CHANNEL_PLATFORM_URL: platform.url, CHANNEL_PLATFORM_SECRET: SECRET, STORE_WRITE_DATA_ERROR_ATTEMPTS: '2', RECONCILE_SCHEDULE: '15 2 * * *', RECONCILE_TIME_ZONE: 'UTC' });
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-6101');
    supervisor = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-61');
    connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-61');
    auditor = await apiAs(stack.apiUrl, Role.Auditor, 'aud-61');
  });

  afterAll(async () => {
    await stack?.stop();
    await platform?.stop();
    await database?.drop();
  });

  const open = async (body: Record<string, unknown> = {}) => {
    const created = await handler.post<{ reference: string }>('/contacts', { channel: 'non-emergency-call', caller: { name: 'Sam Caller' }, narrative: 'A fence was damaged overnight', ...body });
    expect(created.status).toBe(201);
    return created.body.reference;
  };
  /** Waits until the store has written the case up to its workflow's version (the view reads the store once it is closed). */
  const storeCaughtUp = (reference: string, check: (row: { stage: string; version: number }) => boolean) =>
    waitUntil(
      async () => {
        const [row] = await database.query<{ stage: string; version: number }>('select stage, version from contact_case where reference = $1', [reference]);
        return row && check(row) ? row : undefined;
      },
      { timeoutMs: 20_000, what: `case ${reference} in the store` },
    );

  it('refuses half an emoji wherever text enters, naming the field, and records nothing of it', async () => {
    const before = await count('select count(*)::int as n from contact_case');
    const intake = await handler.post<{ fields: Problem[] }>('/contacts', { channel: 'webchat', caller: { name: HALF }, narrative: `Help ${HALF}` });
    expect(intake.status).toBe(400);
    expect(intake.body.fields.map((problem) => problem.field).sort()).toEqual(['caller.name', 'narrative']);
    expect(intake.body.fields[0].message).toMatch(/well-formed Unicode/);

    const reference = await open();
    const note = await handler.post<{ fields: Problem[] }>(`/contacts/${reference}/notes`, { text: `Called back ${HALF}` });
    expect([note.status, note.body.fields.map((problem) => problem.field)]).toEqual([400, ['text']]);
    const referral = await handler.post<{ fields: Problem[] }>(`/contacts/${reference}/referrals`, { agency: 'Council', kind: 'partner', reason: HALF });
    expect([referral.status, referral.body.fields.map((problem) => problem.field)]).toEqual([400, ['reason']]);

    // A connector, by token and as a signed webhook: the handle becomes the caller's name.
    const message = { platform: 'webchat', conversationId: 'chat-half', messageId: 'chat-half-1', handle: HALF, text: `Hello ${HALF}`, sentAt: new Date(Date.now() - 5_000).toISOString() };
    const handedOver = await connector.post<{ fields: Problem[] }>('/channels/webchat/messages', message);
    expect([handedOver.status, handedOver.body.fields.map((problem) => problem.field).sort()]).toEqual([400, ['handle', 'text']]);
    const body = JSON.stringify({ ...message, messageId: 'chat-half-2' });
    const signed = await fetch(`${stack.apiUrl}/api/v1/channels/webchat/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-platform-signature': signPlatformBody(SECRET, body) }, body });
    expect(signed.status).toBe(400);
    expect(((await signed.json()) as { fields: Problem[] }).fields.map((problem) => problem.field).sort()).toEqual(['handle', 'text']);

    // A reply on a conversation case.
    const chat = await connector.post<{ reference: string }>('/channels/webchat/messages', { ...message, conversationId: 'chat-whole', messageId: 'chat-whole-1', handle: 'Visitor 12', text: 'Hello 😀' });
    expect(chat.status).toBe(201);
    const reply = await handler.post<{ fields: Problem[] }>(`/contacts/${chat.body.reference}/messages`, { text: `We are on it ${HALF}` });
    expect([reply.status, reply.body.fields.map((problem) => problem.field)]).toEqual([400, ['text']]);

    // Nothing refused was written, and the cases that took whole characters carry on.
    await storeCaughtUp(chat.body.reference, () => true);
    expect(await count('select count(*)::int as n from contact_case')).toBe(before + 2);
    expect(await count("select count(*)::int as n from case_message where text like '%On it%' or inbound_key is null")).toBe(0);
    expect((await handler.post(`/contacts/${reference}/notes`, { text: 'Called back 😀' })).status).toBe(201);
    await storeCaughtUp(reference, (row) => row.version === 2);
    expect(await count('select count(*)::int as n from case_note where reference = $1', [reference])).toBe(1);
  });

  it('keeps every decision and its reasons, and shows them on the closed case', async () => {
    const close = async (outcome: string, extra: Record<string, unknown>, before: (path: string) => Promise<void> = () => Promise.resolve()) => {
      const reference = await open();
      const path = `/contacts/${reference}`;
      expect((await handler.post(`${path}/assessments`, assessment({}, 4))).status).toBe(201);
      expect((await handler.post(`${path}/incident`, { openingCategory: 'advice', qualifiers: [] })).status).toBe(201);
      await before(path);
      const closed = await handler.post(`${path}/resolution`, { outcome, closingCategory: 'advice', ...extra });
      expect([closed.status, closed.body]).toEqual([201, expect.objectContaining({ stage: 'closed' })]);
      await storeCaughtUp(reference, (row) => row.stage === 'closed');
      const view = await handler.get<{ live: boolean; case: { resolution: Record<string, unknown> }; referrals: Array<{ reason: string }>; downgradeDecisions: Array<Record<string, unknown>> }>(path);
      expect(view.status).toBe(200);
      expect(view.body.live).toBe(false);
      return view.body;
    };
    const nfa = await close('no-further-action', { noFurtherActionReason: 'Caller withdrew the report; no offence disclosed' });
    expect(nfa.case.resolution).toMatchObject({ outcome: 'no-further-action', noFurtherActionReason: 'Caller withdrew the report; no offence disclosed', signpostedTo: null, closedBy: { subject: 'pc-6101', role: 'contact-handler' } });
    const signposted = await close('signposted', { signpostedTo: 'Citizens Advice, Queen Street' });
    expect(signposted.case.resolution).toMatchObject({ outcome: 'signposted', signpostedTo: 'Citizens Advice, Queen Street' });
    const appointment = await close('appointment', { appointmentAt: '2027-01-12T10:30:00.000Z' });
    expect(appointment.case.resolution).toMatchObject({ outcome: 'appointment', appointmentAt: '2027-01-12T10:30:00.000Z' });
    const referred = await close('referred', {}, async (path) => {
      expect((await handler.post(`${path}/referrals`, { agency: 'Housing team', kind: 'partner', reason: 'Repeated damage to a council property' })).status).toBe(201);
    });
    expect(referred.referrals).toEqual([expect.objectContaining({ reason: 'Repeated damage to a council property' })]);
    // A downgrade refused, then one approved: both decisions with their rationale.
    const downgraded = await close('resolved-at-first-contact', {}, async (path) => {
      expect((await supervisor.post(`${path}/regrade`, { grade: 3, reason: 'new-information' })).status).toBe(201);
      expect((await handler.post(`${path}/assessments`, assessment({}, 4))).status).toBe(201);
      expect((await supervisor.post(`${path}/downgrade-approvals`, { approve: false, rationale: 'Wait for the neighbour statement' })).status).toBe(201);
      expect((await handler.post(`${path}/assessments`, assessment({}, 4))).status).toBe(201);
      expect((await supervisor.post(`${path}/downgrade-approvals`, { approve: true, rationale: 'Statement taken; advice given' })).status).toBe(201);
    });
    expect(downgraded.downgradeDecisions.map((decision) => [decision.approved, decision.rationale, decision.fromGrade, decision.toGrade])).toEqual([
      [false, 'Wait for the neighbour statement', 3, 4],
      [true, 'Statement taken; advice given', 3, 4],
    ]);
  });

  it('binds an Idempotency-Key to its request: a repeat changes nothing, another request with it is refused', async () => {
    const reference = await open();
    const path = `/contacts/${reference}`;
    const note = await handler.post(`${path}/notes`, { text: 'First call back' }, { 'Idempotency-Key': 'callback-0001' });
    expect(note.status).toBe(201);
    expect((await handler.post(`${path}/notes`, { text: 'First call back' }, { 'Idempotency-Key': 'callback-0001' })).status).toBe(201);
    const reused = await handler.post<{ code: string; fields: Problem[] }>(`${path}/resolution`, { outcome: 'no-further-action', closingCategory: 'advice', noFurtherActionReason: 'Advice given on the telephone' }, { 'Idempotency-Key': 'callback-0001' });
    expect([reused.status, reused.body.code, reused.body.fields.map((problem) => problem.field)]).toEqual([422, 'idempotency_conflict', ['Idempotency-Key']]);
    const otherNote = await handler.post(`${path}/notes`, { text: 'Another text' }, { 'Idempotency-Key': 'callback-0001' });
    expect(otherNote.status).toBe(422);
    // A key that is another key and what an entry's id once added to its command's (`:1`): the
    // assessment writes several entries, and the note's id is none of theirs.
    expect((await handler.post(`${path}/assessments`, assessment({}, 3), { 'Idempotency-Key': 'key-with:colon' })).status).toBe(201);
    expect((await handler.post(`${path}/notes`, { text: 'Second' }, { 'Idempotency-Key': 'key-with:colon:1' })).status).toBe(201);

    const view = await handler.get<{ case: { stage: string; noteCount: number } }>(path);
    expect(view.body.case).toMatchObject({ stage: 'recording', noteCount: 2 });
    await storeCaughtUp(reference, (row) => row.version === 4);
    expect(await count('select count(*)::int as n from case_note where reference = $1', [reference])).toBe(2);
    const ids = await database.query<{ id: string }>('select id from case_event where reference = $1', [reference]);
    expect(ids.filter((row) => row.id.includes('key-with:colon'))).toHaveLength(ids.filter((row) => row.id.includes('/key/key-with:colon')).length);
    expect(new Set(ids.map((row) => row.id)).size).toBe(ids.length);
    const reconciled = await reconcile(config, [reference]);
    expect({ status: reconciled.status, stdout: reconciled.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('1 case compared: 0 divergences') });
  });

  it('compares every column that follows the case with the workflow, not only those the queue sorts on', async () => {
    const reference = await open({ narrative: 'A neighbour keeps shouting threats through the door' });
    await storeCaughtUp(reference, () => true);
    const [before] = await database.query<{ screening_reasons: string[]; clocks: unknown[] }>('select screening_reasons, clocks::text as clocks from contact_case where reference = $1', [reference]);
    // Two columns the reconciler compares because they follow from the projection: a screening
    // reason it never had, and a clock it never had.
    await database.query(`update contact_case set screening_reasons = array['tampered'], clocks = clocks || '[{"id": "tampered-1"}]' where reference = $1`, [reference]);
    try {
      const diverged = await reconcile(config, [reference]);
      expect(diverged.status).toBe(1);
      expect(diverged.stdout).toMatch(/case-row-differs: columns .*screening_reasons/);
      expect(diverged.stdout).toMatch(/case-row-differs: columns .*clocks/);
    } finally {
      await database.query('update contact_case set screening_reasons = $2, clocks = $3::jsonb where reference = $1', [reference, before.screening_reasons, before.clocks]);
    }
    const clean = await reconcile(config, [reference]);
    expect({ status: clean.status, stdout: clean.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('0 divergences') });
  });

  it('takes fifty commands sent at once to one case, ten rounds over: every one answered 201 and written once', async () => {
    const reference = await open();
    const rounds: number[][] = [];
    const roundMs: number[] = [];
    const started = Date.now();
    for (let round = 0; round < 10; round += 1) {
      const roundStarted = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, index) => handler.post(`/contacts/${reference}/notes`, { text: `Round ${round} note ${index}` }, { 'Idempotency-Key': `burst-${round}-${index}` })),
      );
      rounds.push(answers.map((answer) => answer.status));
      roundMs.push(Date.now() - roundStarted);
    }
    process.stdout.write(`[case-store-fidelity] rounds took ${roundMs.join(', ')} ms\n`);
    const tookMs = Date.now() - started;
    expect(rounds).toEqual(Array.from({ length: 10 }, () => Array<number>(50).fill(201)));
    await storeCaughtUp(reference, (row) => row.version === 501);
    expect(await count('select count(*)::int as n from case_note where reference = $1', [reference])).toBe(500);
    expect(await count('select count(distinct text)::int as n from case_note where reference = $1', [reference])).toBe(500);
    expect(await count('select count(*)::int as n from case_change where reference = $1', [reference])).toBe(501);
    const reconciled = await reconcile(config, [reference]);
    expect({ status: reconciled.status, stdout: reconciled.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('0 divergences') });
    process.stdout.write(`[case-store-fidelity] 10 rounds of 50 notes at once on one case: 500 answered 201 in ${tookMs} ms, each written once\n`);
  }, 240_000);

  it('gives up a write that can never succeed, alerts administrators, carries on, and a resync writes it', async () => {
    const reference = await open();
    await storeCaughtUp(reference, () => true);
    // A rule the store will not take, whatever the retries: a data error, not an outage.
    await database.query("alter table case_note add constraint fidelity_refuses check (text not like '%UNSTORABLE%')");
    try {
      expect((await handler.post(`/contacts/${reference}/notes`, { text: 'An UNSTORABLE note' })).status).toBe(201);
      const alerts = await waitUntil(
        async () => {
          const answer = await auditor.get<{ open: number; items: Array<{ kind: string; reference: string; sqlState: string | null; attempts: number }> }>('/audit/store-alerts');
          if (answer.status !== 200) throw new Error(`store alerts answered ${answer.status}: ${JSON.stringify(answer.body)}`);
          return answer.body.items.some((item) => item.reference === reference && item.kind === 'write-failed') ? answer.body : undefined;
        },
        { timeoutMs: 30_000, what: 'the store alert' },
      );
      expect(alerts.items.find((item) => item.reference === reference && item.kind === 'write-failed')).toMatchObject({ sqlState: '23514', attempts: 2 });
      expect(JSON.stringify(alerts)).not.toContain('UNSTORABLE');
      // The case still answers, and takes more; what follows waits for the missing change.
      expect((await handler.post(`/contacts/${reference}/notes`, { text: 'A later note' })).status).toBe(201);
      const live = await handler.get<{ live: boolean; case: { noteCount: number } }>(`/contacts/${reference}`);
      expect([live.status, live.body.live, live.body.case.noteCount]).toEqual([200, true, 2]);
      const diverged = await reconcile(config, [reference]);
      expect(diverged.status).toBe(1);
      expect(diverged.stdout).toMatch(/change-missing: version 2 \(add-note\)/);
      expect(diverged.stdout).not.toContain('UNSTORABLE');
    } finally {
      await database.query('alter table case_note drop constraint fidelity_refuses');
    }
    const repaired = await resync(config, [reference]);
    expect({ status: repaired.status, stdout: repaired.stdout }).toEqual({ status: 0, stdout: expect.stringContaining(`${reference}: 2 written, 1 already there`) });
    expect((await database.query<{ text: string }>('select text from case_note where reference = $1 order by written_at', [reference])).map((row) => row.text)).toEqual(['An UNSTORABLE note', 'A later note']);
    const clean = await reconcile(config, [reference]);
    expect({ status: clean.status, stdout: clean.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('0 divergences') });
    const settled = await auditor.get<{ items: Array<{ reference: string; resolvedAt: string | null }> }>('/audit/store-alerts');
    expect(settled.body.items.filter((item) => item.reference === reference).every((item) => item.resolvedAt !== null)).toBe(true);
    // And the case goes on writing normally.
    expect((await handler.post(`/contacts/${reference}/notes`, { text: 'After the repair' })).status).toBe(201);
    await storeCaughtUp(reference, (row) => row.version === 4);
  }, 120_000);

  it('records each reconciliation for the auditors, and the management information lists them', async () => {
    const whole = await reconcile(config);
    expect({ status: whole.status, stdout: whole.stdout, stderr: whole.stderr }).toEqual({ status: 0, stdout: expect.stringContaining(' 0 divergences'), stderr: '' });
    const listed = await auditor.get<Array<{ outcome: string; cases: number; divergences: unknown[]; trigger: string }>>('/audit/reconciliations');
    expect(listed.status).toBe(200);
    expect(listed.body[0]).toMatchObject({ outcome: 'clean', trigger: 'cli', divergences: [] });
    expect(listed.body[0].cases).toBe(await count('select count(*)::int as n from contact_case'));
    expect(listed.body.some((run) => run.outcome === 'divergent')).toBe(true);
    expect((await handler.get('/audit/reconciliations')).status).toBe(403);
    // The schedule each worker keeps runs it too, on the cases changed since its last run.
    const temporal = new TemporalClientService(config);
    try {
      const schedule = temporal.client.schedule.getHandle(storeReconciliationScheduleId(config.temporal.taskQueue));
      const described = await waitUntil(() => schedule.describe(), { timeoutMs: 30_000, what: 'the reconciliation schedule' });
      expect(described.spec.timezone).toBe('UTC');
      await schedule.trigger();
      const scheduled = await waitUntil(
        async () => {
          const runs = await auditor.get<Array<{ trigger: string; outcome: string; since: string | null; cases: number }>>('/audit/reconciliations');
          return runs.body.find((run) => run.trigger === 'schedule');
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'the scheduled reconciliation recorded' },
      );
      expect(scheduled).toMatchObject({ outcome: 'clean', since: null, cases: listed.body[0].cases });
    } finally {
      await temporal.onApplicationShutdown();
    }

    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const mi = await supervisor.get<{ storeReconciliations: { latest: Array<{ outcome: string; cases: number }> } }>(`/mi/measures?from=${day(0)}&to=${day(1)}&groupBy=day`);
    expect(mi.status).toBe(200);
    expect(JSON.stringify(mi.body.storeReconciliations)).not.toMatch(/[A-Z]{2,4}-\d{8}-\d{6}/);
    expect(mi.body.storeReconciliations.latest.map((run) => run.outcome).slice(0, 2)).toEqual(['clean', 'clean']);
  });
});
