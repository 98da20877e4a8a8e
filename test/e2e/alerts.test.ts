import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { type AlertStreamClient, openAlertStream } from '../../src/cli/alert-stream-client.js';
import { type AlertView } from '../../src/modules/alerts/alert-queries.service.js';
import { apiAs } from '../support/api-client.js';
import { shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { type RunningProcess, startProcess, startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { caseOpenAlertKey } from '../../src/workflows/search-attributes.js';

const CALLER = { name: 'Alex Sample' };
const NARRATIVE = 'My ex-partner keeps turning up at my door and threatening me';

/**
 * Alerts on a real stack whose policy gives a domestic abuse web submission 3 s to be actioned and
 * repeats a breach's escalation every 4 s: warning to the contact handler, breach to the team
 * leader, each repeat to the duty inspector.
 */
describe('alerts: every escalation reaches a person', () => {
  const policy = shortClockPolicy('test-alerts', { digital: 3, repeat: 4 });
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let handler: ApiClient;
  let teamLeader: ApiClient;
  let teamLeaderToken: string;
  let inspectorToken: string;
  const streams: Array<AlertStreamClient<AlertView>> = [];
  let replacementWorker: RunningProcess | undefined;
  let secondApi: RunningProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url, { POLICY_FILE: writePolicyFile(policy), ALERT_STREAM_HEARTBEAT_SECONDS: '1' });
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-3301');
    teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-12');
    teamLeaderToken = await tokenFor(Role.TeamLeader, 'sgt-12');
    inspectorToken = await tokenFor(Role.DutyInspector, 'insp-4');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await replacementWorker?.stop();
    await secondApi?.stop();
    await stack?.stop();
    await database?.drop();
  });

  const stream = async (token: string, lastEventId?: string, apiUrl = stack.apiUrl) => {
    const opened = await openAlertStream<AlertView>(apiUrl, token, lastEventId);
    streams.push(opened);
    expect(opened.status).toBe(200);
    return opened;
  };

  // Each submission from a different caller: the same one three times would be a repeat caller,
  // whose earlier cases a team leader is alerted to re-screen (raising them a level).
  let callers = 0;
  async function submit(): Promise<string> {
    callers += 1;
    const created = await handler.post<{ reference: string }>('/contacts', {
      channel: Channel.WebForm,
      channelDetails: { title: 'Report abuse' },
      caller: { ...CALLER, phone: `+44 7700 9${String(callers).padStart(5, '0')}` },
      narrative: NARRATIVE,
    });
    expect(created.status).toBe(201);
    return created.body.reference;
  }

  const alertsOf = (reference: string) =>
    database.query<{ id: string; kind: string; role: string }>('select id, kind, role from case_alert where reference = $1 order by created_at, id', [reference]);

  it('streams a breach to the team leader within 1 s, lists it, and takes an acknowledgement that stops its repeats', async () => {
    const leaderStream = await stream(teamLeaderToken);
    const inspectorStream = await stream(inspectorToken);
    const acknowledgedCase = await submit();
    const ignoredCase = await submit();

    const breach = await leaderStream.waitFor((event) => event.alert.reference === acknowledgedCase && event.alert.kind === 'breach', 30_000);
    // Pushed as it is written: within a second of the case store recording it.
    expect(breach.receivedAtMs - Date.parse(breach.alert.writtenAt)).toBeLessThan(1_000);
    expect(breach.alert).toMatchObject({ role: 'team-leader', level: 2, clock: 'digital-action-risk-1', state: 'open', team: 'contact-centre', reason: 'clock-breach' });
    expect(Date.parse(breach.alert.dueAt!)).toBe(Date.parse(breach.alert.raisedAt));
    // No caller data in an alert.
    for (const secret of [CALLER.name, '7700', 'threatening']) expect(JSON.stringify(breach.alert)).not.toContain(secret);

    const inbox = await teamLeader.get<{ total: number; items: AlertView[] }>(`/alerts?state=open&reference=${acknowledgedCase}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((alert) => alert.id)).toEqual([breach.alert.id]);
    // The handler's own alert is the warning; the team leader's inbox does not show it.
    const handlerInbox = await handler.get<{ items: AlertView[] }>(`/alerts?reference=${acknowledgedCase}`);
    expect(handlerInbox.body.items.map((alert) => [alert.kind, alert.role])).toEqual([['warning', 'contact-handler']]);

    const path = `/alerts/${encodeURIComponent(breach.alert.id)}/acknowledgement`;
    expect((await handler.post(path, { action: 'contacted-caller' })).status).toBe(403);
    expect((await teamLeader.post(path, { action: 'shrugged' })).body).toMatchObject({ code: 'invalid_input', fields: [{ field: 'action' }] });
    const ackBody = { action: 'contacted-caller', note: 'Spoke to the caller, officer on the way' };
    const acknowledged = await teamLeader.post<AlertView>(path, ackBody, { 'Idempotency-Key': 'ack-breach-1' });
    expect(acknowledged.status).toBe(201);
    expect(acknowledged.body).toMatchObject({ id: breach.alert.id, state: 'acknowledged', acknowledgement: { by: { subject: 'sgt-12', role: 'team-leader' }, action: 'contacted-caller' } });
    // The same request again (a client retrying after a lost answer) is answered as the first was.
    const repeated = await teamLeader.post<AlertView>(path, ackBody, { 'Idempotency-Key': 'ack-breach-1' });
    expect({ status: repeated.status, body: repeated.body }).toEqual({ status: 201, body: acknowledged.body });
    // Any other acknowledgement of it is refused: with a key of its own, or none.
    expect((await teamLeader.post(path, { action: 'contacted-caller' }, { 'Idempotency-Key': 'ack-breach-2' })).status).toBe(409);
    expect((await teamLeader.post(path, { action: 'contacted-caller' })).status).toBe(409);

    // On the case's timeline and in its audit chain, attributed.
    const timeline = await database.query<{ type: string; actor_subject: string; details: Record<string, unknown> }>(
      "select type, actor_subject, details from case_event where reference = $1 and type = 'alert-acknowledged'",
      [acknowledgedCase],
    );
    expect(timeline).toEqual([{ type: 'alert-acknowledged', actor_subject: 'sgt-12', details: expect.objectContaining({ alert: breach.alert.id, action: 'contacted-caller' }) }]);
    const audit = await database.query<{ actor_subject: string; actor_role: string }>("select actor_subject, actor_role from audit_entry where reference = $1 and action = 'alert-acknowledged'", [acknowledgedCase]);
    expect(audit).toEqual([{ actor_subject: 'sgt-12', actor_role: 'team-leader' }]);
    const history = await teamLeader.get<{ items: Array<{ kind: string; actor: string; text: string }> }>(`/contacts/${acknowledgedCase}/history`);
    expect(history.body.items).toContainEqual(expect.objectContaining({ kind: 'command', actor: 'sgt-12 (team-leader)', text: expect.stringContaining('acknowledge-alert') }));

    // The case nobody acknowledged goes on up the chain; the acknowledged one does not.
    const repeat = await inspectorStream.waitFor((event) => event.alert.reference === ignoredCase && event.alert.kind === 're-escalation', 30_000);
    expect(repeat.alert).toMatchObject({ role: 'duty-inspector', level: 3 });
    await sleep(1_500);
    expect((await alertsOf(acknowledgedCase)).map((alert) => alert.kind)).toEqual(['warning', 'breach']);
    expect(inspectorStream.events.filter((event) => event.alert.reference === acknowledgedCase)).toEqual([]);

    // The Temporal UI shows which cases still wait for an acknowledgement (the handler's warning
    // on the acknowledged case is still open; acknowledging it clears the flag).
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: TEST_NAMESPACE });
      const openAlert = async (reference: string) => (await client.workflow.getHandle(contactCaseWorkflowId(reference)).describe()).typedSearchAttributes.get(caseOpenAlertKey);
      expect(await openAlert(ignoredCase)).toBe(true);
      const [warning] = (await handler.get<{ items: AlertView[] }>(`/alerts?state=open&reference=${acknowledgedCase}`)).body.items;
      expect((await handler.post(`/alerts/${encodeURIComponent(warning.id)}/acknowledgement`, { action: 'no-action-needed' })).status).toBe(201);
      expect(await openAlert(acknowledgedCase)).toBe(false);
    } finally {
      await connection.close();
    }
  });

  it('resumes a dropped stream from its Last-Event-ID on another API replica: nothing missed, nothing repeated', async () => {
    const port = await findFreePort();
    secondApi = startProcess('main.js', { ...config, api: { ...config.api, port }, database: { ...config.database, migrateOnStart: false } });
    const secondUrl = `http://127.0.0.1:${port}`;
    await waitUntil(async () => ((await fetch(`${secondUrl}/health`).catch(() => null))?.status === 200 ? true : undefined), { timeoutMs: 60_000, what: 'a second API replica' });

    const first = await stream(teamLeaderToken);
    const before = await submit();
    await first.waitFor((event) => event.alert.reference === before && event.alert.kind === 'breach', 30_000);
    const lastEventId = first.events.at(-1)!.eventId;
    first.close();

    const whileAway = [await submit(), await submit()];
    await waitUntil(async () => ((await Promise.all(whileAway.map(alertsOf))).every((rows) => rows.some((row) => row.kind === 'breach')) ? true : undefined), {
      timeoutMs: 30_000,
      what: 'both breaches to be written while no stream was open',
    });
    const resumed = await stream(teamLeaderToken, lastEventId, secondUrl);
    for (const reference of whileAway) await resumed.waitFor((event) => event.alert.reference === reference && event.alert.kind === 'breach', 10_000);
    await sleep(1_500);

    const mine = [before, ...whileAway];
    const expected = (await Promise.all(mine.map(alertsOf))).flat().filter((row) => row.role === 'team-leader').map((row) => row.id).sort();
    const received = [...first.events, ...resumed.events].filter((event) => mine.includes(event.alert.reference)).map((event) => event.alert.id);
    expect([...received].sort()).toEqual(expected);
    expect(new Set(received).size).toBe(received.length);
    // Heartbeats keep an idle stream open through proxies (every second here).
    expect(first.comments).toBeGreaterThan(2);

    expect((await teamLeader.request('GET', '/alerts/stream', undefined, { 'Last-Event-ID': 'not-an-event' })).body).toMatchObject({ fields: [{ field: 'Last-Event-ID' }] });
    // A transaction id past PostgreSQL's 64 bits is refused at once, not left to fail every second in the background.
    const pastXid8 = await teamLeader.request('GET', '/alerts/stream', undefined, { 'Last-Event-ID': `18446744073709551616/${expected[0]}` });
    expect({ status: pastXid8.status, body: pastXid8.body }).toMatchObject({ status: 400, body: { fields: [{ field: 'Last-Event-ID' }] } });
  });

  it('still streams every alert once when the worker is killed as the clocks fall due', async () => {
    const leaderStream = await stream(teamLeaderToken);
    const cases = [await submit(), await submit(), await submit()];
    // The clocks fall due 3 s after intake; the worker dies just before, and another starts after.
    await sleep(2_500);
    stack.worker!.child.kill('SIGKILL');
    await sleep(1_500);
    replacementWorker = startProcess('worker.js', { ...config, database: { ...config.database, migrateOnStart: false } });
    for (const reference of cases) await leaderStream.waitFor((event) => event.alert.reference === reference && event.alert.kind === 'breach', 45_000);
    await sleep(1_500);
    const breaches = leaderStream.events.filter((event) => cases.includes(event.alert.reference) && event.alert.kind === 'breach');
    expect(breaches.map((event) => event.alert.reference).sort()).toEqual([...cases].sort());
    for (const reference of cases) expect((await alertsOf(reference)).filter((row) => row.kind === 'breach')).toHaveLength(1);
  });
});
