import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AppConfig } from '../../src/config/app-config.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { FakePlatform, signPlatformBody } from '../support/fake-platform.js';
import { payloadsIn, payloadText } from '../support/payloads.js';
import { startStack, type Stack } from '../support/stack.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SECRET = 'platform-secret-shared-with-the-connector-0123456789';
const PLATFORM_DOWN_MS = 20_000;

interface Message {
  id: string;
  direction: 'inbound' | 'outbound';
  handle: string | null;
  by: { subject: string; role: string };
  text: string;
  deliveryState: string;
  deliveryAttempts: number;
  deliveredAt: string | null;
}
interface Clock {
  kind: string;
  state: string;
  metAt: string | null;
  startedAt: string;
  dueAt: string;
}
interface CaseView {
  case: { reference: string; channel: string; stage: string; clocks: Clock[]; outcome: string | null; firstContactResolution: boolean | null; screening: { riskMarker: string | null; domesticAbuse: boolean } };
  messages: Message[];
  timeline: Array<{ type: string; details: Record<string, unknown> }>;
}
interface Received {
  reference: string;
  messageId: string;
  caseOpened: boolean;
  replayed: boolean;
}
interface Inbox {
  total: number;
  items: Array<{ reference: string; unanswered: number; waitedSeconds: number; lastMessage: string | null; handle: string | null; firstResponse: { state: string } | null }>;
}

const ago = (seconds: number) => new Date(Date.now() - seconds * 1_000).toISOString();

/**
 * Conversations end to end: a platform connector hands over direct messages and webchat, the case
 * is opened and joined, handlers reply through the platform adapter to a stand-in platform (the
 * one true external boundary here), which is also taken down for 20 s.
 */
describe('conversations: webchat and the social media hub', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let platform: FakePlatform;
  let connector: ApiClient;
  let handler: ApiClient;
  let media: ApiClient;
  let dmReference: string;
  /** Words that must never leave the case store unencrypted. */
  const secrets = ['Quillbrook', 'lampost-4471', '@vesper_marigold'];

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = new FakePlatform(SECRET);
    await platform.start();
    config = testConfig(database.url, { CHANNEL_PLATFORM_URL: platform.url, CHANNEL_PLATFORM_SECRET: SECRET });
    stack = await startStack(config);
    connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-x');
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-7001');
    media = await apiAs(stack.apiUrl, Role.MediaTeam, 'media-1');
  });

  afterAll(async () => {
    await stack?.stop();
    await platform?.stop();
    await database?.drop();
  });

  const view = async (reference: string) => {
    const answer = await handler.get<CaseView>(`/contacts/${reference}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const dm = (messageId: string, text: string, sentAt = ago(30)) => ({ platform: 'x', conversationId: 'dm-880021', messageId, handle: '@vesper_marigold', text, sentAt });

  it('opens a case from a direct message, changes nothing for the same message again, and joins the next to it', async () => {
    const firstSentAt = ago(90);
    const firstText = 'Someone keeps trying car doors on Quillbrook Row, the silver one by lampost-4471 is open now';
    const first = await connector.post<Received>('/channels/social-media/messages', dm('x-msg-1', firstText, firstSentAt));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ caseOpened: true, replayed: false });
    dmReference = first.body.reference;

    const counts = async () =>
      (
        await database.query<{ messages: number; events: number; cases: number }>(
          `select (select count(*)::int from case_message) as messages, (select count(*)::int from case_event where reference = $1) as events, (select count(*)::int from contact_case) as cases`,
          [dmReference],
        )
      )[0];
    await waitUntil(async () => ((await counts()).messages === 1 ? true : undefined), { timeoutMs: 15_000, what: 'the first message recorded' });
    const before = await counts();

    // The connector delivers the same message twice more, once while another copy is in flight.
    const again = await Promise.all([connector.post<Received>('/channels/social-media/messages', dm('x-msg-1', firstText, firstSentAt)), connector.post<Received>('/channels/social-media/messages', dm('x-msg-1', firstText, firstSentAt))]);
    for (const answer of again) {
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({ reference: dmReference, messageId: first.body.messageId, caseOpened: false, replayed: true });
      expect(answer.headers.get('idempotent-replayed')).toBe('true');
    }
    expect(await counts()).toEqual(before);

    // A second message, sent twice at once (a connector retrying): it joins the case, once.
    const second = await Promise.all([
      connector.post<Received>('/channels/social-media/messages', dm('x-msg-2', 'He has moved on to the next street', ago(20))),
      connector.post<Received>('/channels/social-media/messages', dm('x-msg-2', 'He has moved on to the next street', ago(20))),
    ]);
    for (const answer of second) expect(answer.body).toMatchObject({ reference: dmReference, caseOpened: false });
    expect(second[0].body.messageId).toBe(second[1].body.messageId);
    expect((await counts()).cases).toBe(before.cases);

    const opened = await view(dmReference);
    expect(opened.case.channel).toBe('social-media');
    expect(opened.messages.map((m) => [m.direction, m.handle, m.deliveryState])).toEqual([
      ['inbound', '@vesper_marigold', 'received'],
      ['inbound', '@vesper_marigold', 'received'],
    ]);
    expect(opened.messages[0].by).toEqual({ subject: 'connector-x', role: 'channel-connector' });
    expect(opened.timeline.filter((entry) => entry.type === 'message-received')).toHaveLength(2);
    // The first-response clock runs from when the first message was sent, not when it reached us.
    const clock = opened.case.clocks.find((candidate) => candidate.kind === 'first-response')!;
    expect(clock.state).toBe('running');
    expect(clock).toMatchObject({ startedAt: firstSentAt, dueAt: new Date(Date.parse(firstSentAt) + 3_600_000).toISOString() });
  });

  it('screens a first message as every intake: a direct message about domestic abuse is marked IR, first in the queue', async () => {
    const message = { platform: 'instagram', conversationId: 'ig-5521', messageId: 'ig-5521-1', handle: 'ig_user_5521', text: 'My partner hit me last night and I am scared to go home', sentAt: ago(10) };
    const received = await connector.post<Received>('/channels/social-media/messages', message);
    expect(received.status).toBe(201);
    const opened = await view(received.body.reference);
    expect(opened.case).toMatchObject({ screening: { riskMarker: 'IR', domesticAbuse: true }, stage: 'triage' });
    expect(opened.case.clocks.map((clock) => clock.kind).sort()).toEqual(['digital-action-risk', 'first-response', 'risk-review-ir']);
    const queue = await handler.get<{ items: Array<{ reference: string }> }>('/contacts?channel=social-media');
    expect(queue.body.items[0].reference).toBe(received.body.reference);
  });

  it('screens every later message too: a risk it shows marks the case IR and alerts a team leader to re-screen it', async () => {
    const message = (messageId: string, text: string) => ({ platform: 'facebook', conversationId: 'fb-7000', messageId, handle: 'fb.user.7000', text, sentAt: ago(5) });
    const first = await connector.post<Received>('/channels/social-media/messages', message('fb-7000-1', 'Can someone call me back about my neighbour'));
    expect((await view(first.body.reference)).case.screening.riskMarker).toBeNull();
    expect((await connector.post<Received>('/channels/social-media/messages', message('fb-7000-2', 'My husband is threatening me again tonight'))).body.reference).toBe(first.body.reference);
    const raised = await view(first.body.reference);
    expect(raised.case.screening).toMatchObject({ riskMarker: 'IR', domesticAbuse: true });
    expect(raised.timeline.find((entry) => entry.type === 'screening-raised')?.details).toEqual({ reasons: 'narrative:domestic-abuse', riskMarker: 'IR' });
    const teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-7001');
    const alerts = await teamLeader.get<{ items: Array<{ reason: string; role: string }> }>(`/alerts?reference=${first.body.reference}`);
    expect(alerts.body.items).toEqual([expect.objectContaining({ reason: 'manual:risk-in-message', role: 'team-leader' })]);
    // The queue puts it first among the untriaged, as an IR case.
    const [row] = await database.query<{ risk_marker: string | null; priority_rank: number }>('select risk_marker, priority_rank from contact_case where reference = $1', [first.body.reference]);
    expect(row).toEqual({ risk_marker: 'IR', priority_rank: 0 });
  });

  it('lists the conversation in the hub with the time waited, to the media team too, who still cannot read the case', async () => {
    const inbox = await media.get<Inbox>('/social-media/inbox');
    expect(inbox.status).toBe(200);
    const item = inbox.body.items.find((candidate) => candidate.reference === dmReference)!;
    expect(item).toMatchObject({ unanswered: 2, handle: '@vesper_marigold', lastMessage: 'He has moved on to the next street', firstResponse: { state: 'running' } });
    expect(item.waitedSeconds).toBeGreaterThanOrEqual(85);
    expect((await media.get(`/contacts/${dmReference}`)).status).toBe(403);
    expect((await media.get('/contacts')).status).toBe(403);
  });

  it('delivers a handler’s reply to the platform once, meets the first-response clock and clears the hub', async () => {
    const reply = await handler.post<Record<string, unknown> & { messageId: string; deliveryState: string; conversation: { awaitingReplySince: string | null } }>(`/contacts/${dmReference}/messages`, {
      text: 'Thank you, officers are on their way. Please do not approach him.',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.deliveryState).toBe('pending');
    expect(reply.body.conversation.awaitingReplySince).toBeNull();
    expect(Object.keys(reply.body).sort()).toEqual(['conversation', 'deliveryState', 'messageId', 'reference']);
    await waitUntil(async () => ((await view(dmReference)).messages.find((m) => m.id === reply.body.messageId)?.deliveryState === 'delivered' ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the reply delivered',
    });
    await sleep(1_000);
    expect(platform.taken.filter((m) => m.kind === 'reply')).toEqual([
      expect.objectContaining({ conversationId: 'dm-880021', platform: 'x', text: 'Thank you, officers are on their way. Please do not approach him.', idempotencyKey: reply.body.messageId }),
    ]);
    const after = await view(dmReference);
    const clock = after.case.clocks.find((candidate) => candidate.kind === 'first-response')!;
    expect(clock.state).toBe('met');
    expect(after.timeline.find((entry) => entry.type === 'clock-met' && entry.details.clock === 'first-response-1')?.details.late).toBe(false);
    expect(after.messages.at(-1)).toMatchObject({ direction: 'outbound', by: { subject: 'pc-7001', role: 'contact-handler' }, deliveryState: 'delivered', deliveryAttempts: 1 });
    const inbox = await handler.get<Inbox>('/social-media/inbox');
    expect(inbox.body.items.map((item) => item.reference)).not.toContain(dmReference);
  });

  it('delays a reply while the platform is down for 20 s, then delivers it once', async () => {
    platform.goDownFor(PLATFORM_DOWN_MS);
    const downAt = Date.now();
    const reply = await handler.post<{ messageId: string }>(`/contacts/${dmReference}/messages`, { text: 'Officers have found the car. Are you safe?' }, { 'Idempotency-Key': 'reply-while-down-1' });
    expect(reply.status).toBe(201);
    // While it is down the reply is tried again and again, and shown as retrying with the reason.
    await waitUntil(async () => ((await view(dmReference)).messages.find((m) => m.id === reply.body.messageId)?.deliveryAttempts ?? 0) >= 2 ? true : undefined, {
      timeoutMs: 15_000,
      what: 'the reply retried',
    });
    const retrying = (await view(dmReference)).messages.find((m) => m.id === reply.body.messageId)!;
    expect(retrying.deliveryState).toBe('retrying');
    expect(platform.taken.filter((m) => m.text === 'Officers have found the car. Are you safe?')).toEqual([]);

    // The same reply sent again by the handler's client (same key) is the same message.
    const repeated = await handler.post<{ messageId: string }>(`/contacts/${dmReference}/messages`, { text: 'Officers have found the car. Are you safe?' }, { 'Idempotency-Key': 'reply-while-down-1' });
    expect(repeated.body.messageId).toBe(reply.body.messageId);

    await waitUntil(async () => ((await view(dmReference)).messages.find((m) => m.id === reply.body.messageId)?.deliveryState === 'delivered' ? true : undefined), {
      timeoutMs: PLATFORM_DOWN_MS + 30_000,
      what: 'the reply delivered after the platform came back',
    });
    const delivered = (await view(dmReference)).messages.find((m) => m.id === reply.body.messageId)!;
    const delayMs = Date.parse(delivered.deliveredAt!) - downAt;
    expect(delayMs).toBeGreaterThanOrEqual(PLATFORM_DOWN_MS - 1_000);
    await sleep(2_000);
    expect(platform.taken.filter((m) => m.text === 'Officers have found the car. Are you safe?')).toHaveLength(1);
    const refused = platform.attempts.filter((attempt) => attempt.status === 503).length;
    expect(refused).toBeGreaterThanOrEqual(2);
    expect((await view(dmReference)).messages.filter((m) => m.direction === 'outbound')).toHaveLength(2);
    console.log(`platform down ${PLATFORM_DOWN_MS} ms: reply delivered ${delayMs} ms after it was sent, after ${delivered.deliveryAttempts} attempts (${refused} refused)`);
  });

  it('records a webchat conversation at first contact, by signed webhook, and closes it as resolved at first contact after assessment', async () => {
    const body = JSON.stringify({ platform: 'webchat', conversationId: 'chat-3310', messageId: 'chat-3310-1', handle: 'Visitor 3310', text: 'How do I get my bicycle back from the station?', sentAt: ago(5) });
    const post = (signature: string | undefined) =>
      fetch(`${stack.apiUrl}/api/v1/channels/webchat/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'x-platform-signature': signature } : {}) }, body });
    // Unsigned, signed with another key, or replayed too late: refused before anything is read.
    for (const signature of [undefined, signPlatformBody('another-key-entirely-0123456789abcdef', body), signPlatformBody(SECRET, body, Math.floor(Date.now() / 1_000) - 600)]) {
      const refused = await post(signature);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { fields: Array<{ field: string }> }).fields[0].field).toBe('x-platform-signature');
    }
    expect((await database.query('select 1 from case_message where text like $1', ['%bicycle%'])).length).toBe(0);

    const accepted = await post(signPlatformBody(SECRET, body));
    expect(accepted.status).toBe(201);
    const chat = (await accepted.json()) as Received;
    expect(chat.caseOpened).toBe(true);
    const opened = await view(chat.reference);
    expect(opened.case).toMatchObject({ channel: 'webchat', stage: 'triage' });
    expect(opened.messages).toEqual([expect.objectContaining({ direction: 'inbound', handle: 'Visitor 3310', text: 'How do I get my bicycle back from the station?', by: { subject: 'webhook:webchat', role: 'channel-connector' } })]);

    expect((await handler.post(`/contacts/${chat.reference}/messages`, { text: 'Bring photo ID to the front counter; it is kept there for 28 days.' })).status).toBe(201);
    expect((await handler.post(`/contacts/${chat.reference}/assessments`, assessment({}, 4))).status).toBe(201);
    expect((await handler.post(`/contacts/${chat.reference}/incident`, { openingCategory: 'lost-found-property', qualifiers: [] })).status).toBe(201);
    const closed = await handler.post<{ stage: string; resolution: { outcome: string; firstContactResolution: boolean } }>(`/contacts/${chat.reference}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'lost-found-property' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ stage: 'closed', resolution: { outcome: 'resolved-at-first-contact', firstContactResolution: true } });
    await waitUntil(async () => ((await view(chat.reference)).messages.at(-1)?.deliveryState === 'delivered' ? true : undefined), { timeoutMs: 20_000, what: 'the webchat reply delivered' });
    expect(platform.taken.filter((m) => m.conversationId === 'chat-3310')).toHaveLength(1);

    // No reply on a closed case; a new message on the same chat opens the next case, linked to this caller.
    expect((await handler.post(`/contacts/${chat.reference}/messages`, { text: 'Anything else?' })).status).toBe(409);
    const later = JSON.stringify({ platform: 'webchat', conversationId: 'chat-3310', messageId: 'chat-3310-9', handle: 'Visitor 3310', text: 'Sorry, one more thing', sentAt: ago(1) });
    const next = await fetch(`${stack.apiUrl}/api/v1/channels/webchat/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-platform-signature': signPlatformBody(SECRET, later) }, body: later });
    const nextCase = (await next.json()) as Received;
    expect(next.status).toBe(201);
    expect(nextCase.caseOpened).toBe(true);
    expect(nextCase.reference).not.toBe(chat.reference);
  });

  it('carries an SMS exchange the same way, the sender known by their number as any caller is', async () => {
    const text = { platform: 'sms', conversationId: 'sms-+447700900461', messageId: 'sms-1', handle: '07700 900461', text: 'Is the road by the school open yet?', sentAt: ago(2) };
    const received = await connector.post<Received>('/channels/sms/messages', text);
    expect(received.status).toBe(201);
    const lookup = await handler.post<{ items: Array<{ reference: string; channel: string }> }>('/caller-lookups', { phone: '+44 7700 900461' });
    expect(lookup.body.items).toEqual([expect.objectContaining({ reference: received.body.reference, channel: 'sms' })]);
    const reply = await handler.post<{ messageId: string }>(`/contacts/${received.body.reference}/messages`, { text: 'Yes, it reopened at noon.' });
    expect(reply.status).toBe(201);
    await waitUntil(async () => ((await view(received.body.reference)).messages.at(-1)?.deliveryState === 'delivered' ? true : undefined), { timeoutMs: 20_000, what: 'the SMS reply delivered' });
    expect(platform.taken.filter((m) => m.platform === 'sms')).toEqual([expect.objectContaining({ conversationId: 'sms-+447700900461', text: 'Yes, it reopened at noon.' })]);
    // A case that came by telephone has no conversation to reply on.
    const call = await handler.post<{ reference: string }>('/contacts', { channel: 'non-emergency-call', caller: { name: 'A Caller' }, narrative: 'Lost dog' });
    const refused = await handler.post<{ fields: Array<{ field: string }> }>(`/contacts/${call.body.reference}/messages`, { text: 'Hello' });
    expect(refused.status).toBe(422);
    expect(refused.body.fields.map((f) => f.field)).toEqual(['text']);
  });

  it('refuses a message the channel cannot carry, naming the field', async () => {
    const wrong = await connector.post<{ fields: Array<{ field: string }> }>('/channels/webchat/messages', { ...dm('x-msg-9', 'hello'), platform: 'x' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.fields.map((f) => f.field)).toEqual(['platform']);
    const future = await connector.post<{ fields: Array<{ field: string }> }>('/channels/social-media/messages', dm('x-msg-10', 'hello', new Date(Date.now() + 3_600_000).toISOString()));
    expect(future.status).toBe(422);
    expect(future.body.fields.map((f) => f.field)).toEqual(['sentAt']);
    const unknown = await connector.post('/channels/letter/messages', dm('x-msg-11', 'hello'));
    expect(unknown.status).toBe(400);
  });

  it('lets the media team post, recorded for good and delivered once; a handler may not post, and a connector reads nothing', async () => {
    const posted = await media.post<{ id: string; by: { subject: string; role: string }; deliveryState: string }>('/social-media/posts', { platform: 'facebook', text: 'Road closed on the A41 after a collision: please avoid the area.' }, { 'Idempotency-Key': 'post-a41-closure' });
    expect(posted.status).toBe(201);
    expect(posted.body.by).toEqual({ subject: 'media-1', role: 'media-team' });
    const again = await media.post<{ id: string }>('/social-media/posts', { platform: 'facebook', text: 'Road closed on the A41 after a collision: please avoid the area.' }, { 'Idempotency-Key': 'post-a41-closure' });
    expect(again.body.id).toBe(posted.body.id);
    await waitUntil(async () => ((await media.get<{ items: Array<{ id: string; deliveryState: string }> }>('/social-media/posts')).body.items.find((p) => p.id === posted.body.id)?.deliveryState === 'delivered' ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the post delivered',
    });
    expect(platform.taken.filter((m) => m.kind === 'post')).toEqual([expect.objectContaining({ platform: 'facebook', text: 'Road closed on the A41 after a collision: please avoid the area.', idempotencyKey: posted.body.id })]);
    // What was posted cannot be changed or removed afterwards, even by the database's own user.
    await expect(database.query(`update social_media_post set text = 'something else' where id = $1`, [posted.body.id])).rejects.toThrow(/never changes/);
    await expect(database.query(`delete from social_media_post where id = $1`, [posted.body.id])).rejects.toThrow(/never deleted/);

    const refused = await handler.post<{ message: string }>('/social-media/posts', { platform: 'facebook', text: 'Not mine to post' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('social-media:post');
    expect((await connector.get(`/contacts/${dmReference}`)).status).toBe(403);
    expect((await connector.get('/social-media/inbox')).status).toBe(403);
    expect((await handler.post('/channels/social-media/messages', dm('x-msg-12', 'hello'))).status).toBe(403);
  });

  it('keeps message text and handles out of search attributes, logs and unencrypted payloads', async () => {
    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const handle = new Client({ connection, namespace: TEST_NAMESPACE }).workflow.getHandle(contactCaseWorkflowId(dmReference));
      const description = await handle.describe();
      const history = await handle.fetchHistory();
      const visible = JSON.stringify({ id: description.workflowId, searchAttributes: description.raw.workflowExecutionInfo?.searchAttributes, typed: description.typedSearchAttributes, history });
      const payloads = payloadText(payloadsIn(history));
      // The words went through Temporal (the updates carried them), sealed.
      expect(history.events!.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes).length).toBeGreaterThanOrEqual(4);
      const logs = stack.processes.flatMap((running) => running.output).join('');
      expect(logs.length).toBeGreaterThan(0);
      for (const secret of secrets) {
        expect(visible).not.toContain(secret);
        expect(payloads).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
      // And the case store has them, for the people allowed to read the case.
      expect((await database.query('select 1 from case_message where text like $1', ['%Quillbrook%'])).length).toBe(1);
    } finally {
      await connection.close();
    }
  });
});
