import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { type AppConfig } from '../../src/config/app-config.js';
import { type CallerHistory } from '../../src/domain/caller-identity.js';
import { Channel } from '../../src/domain/channels.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { ApiClient } from '../../src/cli/api-client.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { apiAs } from '../support/api-client.js';
import { type RunningProcess, startProcess, startStack, type Stack } from '../support/stack.js';
import { TEST_IDENTITY_KEYS, testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { tokenFor } from '../support/test-tokens.js';

interface Intake {
  reference: string;
  vulnerable: boolean;
  callerHistory: CallerHistory;
}

interface CaseView {
  case: { flags: string[]; screening: { reasons: string[]; vulnerable: boolean }; linkedReferences: string[] };
}

const DAY_MS = 86_400_000;

/** Repeat and vulnerable callers recognised at first contact, on a real stack (the default policy: 3 contacts in 30 days). */
describe('repeat callers', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let handler: ApiClient;
  let rotatedApi: RunningProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Debug logging: whatever the processes write, no identifier may be in it.
    config = testConfig(database.url, { LOG_LEVEL: 'debug' });
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-77');
  });

  afterAll(async () => {
    await rotatedApi?.stop();
    await stack?.stop();
    await database?.drop();
  });

  async function contact(caller: Record<string, unknown>, extra: Record<string, unknown> = {}, client = handler): Promise<Intake> {
    const created = await client.post<Intake>('/contacts', { channel: Channel.NonEmergencyCall, caller, narrative: 'The neighbours are shouting again', ...extra });
    expect(created.status).toBe(201);
    return created.body;
  }

  const view = async (reference: string) => (await handler.get<CaseView>(`/contacts/${reference}`)).body.case;
  const recorded = (reference: string) =>
    waitUntil(async () => ((await database.query('select 1 from contact_case where reference = $1', [reference])).length > 0 ? true : undefined), { timeoutMs: 15_000, what: `case ${reference} recorded` });

  it('flags the third contact from one number, written three ways, and alerts a supervisor to re-screen the earlier ones', async () => {
    const first = await contact({ name: 'Jo Caller', phone: '07700 900123' });
    expect(first.callerHistory).toEqual({ previousContacts: 0, windowDays: 30, lastReference: null, openReferences: [], previouslyVulnerable: false, vulnerableReference: null });
    const second = await contact({ name: 'Jo Caller', phone: '+44 7700 900123' });
    expect(second.callerHistory).toMatchObject({ previousContacts: 1, lastReference: first.reference });
    await Promise.all([recorded(first.reference), recorded(second.reference)]);
    const third = await contact({ name: 'J. Caller', phone: '0044 (0)7700-900-123' });
    expect(third.callerHistory).toMatchObject({ previousContacts: 2, lastReference: second.reference, openReferences: [second.reference, first.reference] });
    expect(third.vulnerable).toBe(true);
    await recorded(third.reference);
    const thirdCase = await view(third.reference);
    expect(thirdCase.flags).toContain('repeat-caller');
    expect(thirdCase.screening.reasons).toContain('history:repeat-caller');
    expect([...thirdCase.linkedReferences].sort()).toEqual([first.reference, second.reference].sort());
    expect((await view(second.reference)).flags).not.toContain('repeat-caller');

    // The earlier cases are still untriaged: a team leader is alerted to re-screen each.
    const alerts = await database.query<{ reference: string; role: string; reason: string }>(
      "select reference, role, reason from case_alert where reason = 'manual:caller-recontacted' order by reference",
    );
    expect(alerts).toEqual([first.reference, second.reference].sort().map((reference) => ({ reference, role: 'team-leader', reason: 'manual:caller-recontacted' })));
  });

  it('matches e-mail whatever its case, ignores contacts outside the window, carries vulnerability forward, and never matches an anonymous caller', async () => {
    const byEmail = await contact({ email: 'Sam.Example@Example.org' });
    const again = await contact({ email: 'sam.example@example.ORG' });
    expect(again.callerHistory).toMatchObject({ previousContacts: 1, lastReference: byEmail.reference });

    const phone = `07700 9${randomBytes(2).readUInt16BE(0).toString().padStart(5, '0')}`;
    const longAgo = await contact({ phone }, { receivedAt: new Date(Date.now() - 40 * DAY_MS).toISOString() });
    const now = await contact({ phone });
    expect(now.callerHistory).toMatchObject({ previousContacts: 0, lastReference: longAgo.reference });

    const vulnerablePhone = '07700 900999';
    const marked = await contact({ phone: vulnerablePhone }, { flags: ['vulnerable-person'] });
    await recorded(marked.reference);
    const carried = await contact({ phone: '+447700900999' });
    expect(carried.vulnerable).toBe(true);
    expect(carried.callerHistory).toMatchObject({ previouslyVulnerable: true, vulnerableReference: marked.reference });
    await recorded(carried.reference);
    expect((await view(carried.reference)).screening.reasons).toContain('history:previously-vulnerable');

    const anonymous = await contact({ anonymous: true, phone: '07700 900123' });
    expect(anonymous.callerHistory).toMatchObject({ previousContacts: 0, lastReference: null });
  });

  it('lets handlers look a caller up by POST (logged), and no one outside the contact roles', async () => {
    // (Intakes by a handler log the cases their caller history named: only this lookup's rows count.)
    const [{ last }] = await database.query<{ last: string }>("select coalesce(max(id), 0)::text as last from case_access_log");
    const found = await handler.post<{ items: Array<{ reference: string; channel: string; stage: string; flags: Record<string, unknown> }> }>('/caller-lookups', { phone: '+447700900123' });
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(3);
    expect(found.body.items[0]).toMatchObject({ channel: Channel.NonEmergencyCall, stage: 'triage', flags: { repeatCaller: true } });
    const logged = await database.query<{ reference: string | null }>("select reference from case_access_log where action = 'caller-lookup' and subject = 'pc-77' and id > $1", [last]);
    expect(logged.map((row) => row.reference).sort()).toEqual(found.body.items.map((item) => item.reference).sort());

    const none = await handler.post<{ items: unknown[] }>('/caller-lookups', { email: 'nobody@example.org' });
    expect(none.body.items).toEqual([]);
    expect(await database.query("select 1 from case_access_log where action = 'caller-lookup' and reference is null")).toHaveLength(1);

    expect((await handler.post<{ fields?: Array<{ field: string }> }>('/caller-lookups', {})).body.fields?.[0].field).toBe('phone');
    expect((await handler.post<{ fields?: Array<{ field: string }> }>('/caller-lookups', { platform: 'x' })).body.fields?.[0].field).toBe('handle');
    for (const role of [Role.MediaTeam, Role.CommunicationsEngagement]) {
      expect((await (await apiAs(stack.apiUrl, role, 'media-1')).post('/caller-lookups', { phone: '+447700900123' })).status).toBe(403);
    }
  });

  it('keeps identifiers out of workflow ids, search attributes, logs and URLs, and still matches after the key is rotated', async () => {
    const phone = '07700 900555';
    const email = 'Private.Person@Example.net';
    const handle = '@private_person_55';
    const first = await contact({ phone, email });
    const social = await handler.post<Intake>('/contacts', {
      channel: Channel.SocialMedia,
      channelDetails: { platform: 'x', handle },
      caller: { name: 'P. Person' },
      narrative: 'Someone keeps sending me threats',
    });
    expect(social.status).toBe(201);
    await Promise.all([recorded(first.reference), recorded(social.body.reference)]);

    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: TEST_NAMESPACE });
      for (const reference of [first.reference, social.body.reference]) {
        const description = await client.workflow.getHandle(contactCaseWorkflowId(reference)).describe();
        const visible = JSON.stringify({ id: description.workflowId, attributes: description.raw.workflowExecutionInfo?.searchAttributes, typed: description.typedSearchAttributes });
        for (const secret of ['7700900555', '7700 900555', 'private.person', 'Private.Person', 'private_person_55']) expect(visible).not.toContain(secret);
      }
    } finally {
      await connection.close();
    }
    const stored = await database.query<{ hash: string }>('select hash from caller_identity where reference = $1', [first.reference]);
    expect(stored).toHaveLength(2);
    for (const row of stored) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    // A new key goes first; the old one stays to match earlier cases.
    const newKey = `rotated-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`;
    const port = await findFreePort();
    rotatedApi = startProcess('main.js', { ...testConfig(database.url, { LOG_LEVEL: 'debug', CALLER_IDENTITY_KEYS: `${newKey},${TEST_IDENTITY_KEYS}` }), api: { ...config.api, port }, temporal: config.temporal, force: config.force, database: { ...config.database, migrateOnStart: false } });
    const rotatedUrl = `http://127.0.0.1:${port}`;
    await waitUntil(async () => ((await fetch(`${rotatedUrl}/health`).catch(() => null))?.status === 200 ? true : undefined), { timeoutMs: 60_000, what: 'the API with rotated keys' });
    const rotatedHandler = new ApiClient(rotatedUrl, await tokenFor(Role.ContactHandler, 'pc-78'));
    const afterRotation = await contact({ phone: '+44 7700 900555' }, {}, rotatedHandler);
    expect(afterRotation.callerHistory).toMatchObject({ previousContacts: 1, lastReference: first.reference });
    const keyIds = await database.query<{ key_id: string }>('select key_id from caller_identity where reference = $1', [afterRotation.reference]);
    expect(keyIds).toEqual([{ key_id: newKey.split(':')[0] }]);

    const lines = [...stack.api.output, ...(stack.worker?.output ?? []), ...rotatedApi.output].join('');
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of ['7700900555', '7700 900555', '7700900123', 'private.person', 'Private.Person', 'private_person_55', 'sam.example']) expect(lines).not.toContain(secret);
  });
});
