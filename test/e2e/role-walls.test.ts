import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiClient } from '../../src/cli/api-client.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { apiAs } from '../support/api-client.js';
import { FakePlatform } from '../support/fake-platform.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SECRET = 'platform-secret-for-the-walls-test-0123456789';
const ago = (seconds: number) => new Date(Date.now() - seconds * 1_000).toISOString();

interface Inbox {
  items: Array<{ reference: string; handle: string | null; lastMessage: string | null }>;
}

/**
 * What each role reads, beyond which routes it may call: the hub answers a reply with the
 * conversation only, never the case record; an inbox of a channel a role cannot answer is refused;
 * an intake shows the caller's history only to those who may look callers up; and each of these
 * reads is in the case access log.
 */
describe('walls between roles: what a route answers depends on who asks', () => {
  let database: TestDatabase;
  let stack: Stack;
  let platform: FakePlatform;
  let connector: ApiClient;
  let handler: ApiClient;
  let engagement: ApiClient;
  let media: ApiClient;
  let dmReference: string;
  let smsReference: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = new FakePlatform(SECRET);
    await platform.start();
    stack = await startStack(testConfig(database.url, { CHANNEL_PLATFORM_URL: platform.url, CHANNEL_PLATFORM_SECRET: SECRET }));
    connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-walls');
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-wall');
    engagement = await apiAs(stack.apiUrl, Role.CommunicationsEngagement, 'ce-wall');
    media = await apiAs(stack.apiUrl, Role.MediaTeam, 'media-wall');
    // A direct message that screens as domestic abuse, and a text message.
    const dm = await connector.post<{ reference: string }>('/channels/social-media/messages', {
      platform: 'x',
      conversationId: 'dm-wall-1',
      messageId: 'dm-wall-1-1',
      handle: '@orrin_wall',
      text: 'My partner hit me again last night and I am scared to go home',
      sentAt: ago(60),
    });
    expect(dm.status).toBe(201);
    dmReference = dm.body.reference;
    const sms = await connector.post<{ reference: string }>('/channels/sms/messages', {
      platform: 'sms',
      conversationId: '+447700900777',
      messageId: 'sms-wall-1',
      handle: '+447700900777',
      text: 'There is a car parked across my drive again',
      sentAt: ago(30),
    });
    expect(sms.status).toBe(201);
    smsReference = sms.body.reference;
  });

  afterAll(async () => {
    await stack?.stop();
    await platform?.stop();
    await database?.drop();
  });

  const accessLog = (subject: string) =>
    database.query<{ reference: string | null; role: string; action: string }>('select reference, role, action from case_access_log where subject = $1 order by id', [subject]);

  it('answers a reply from the hub with the conversation, never the case record', async () => {
    const reply = await engagement.post<Record<string, unknown>>(`/social-media/inbox/${dmReference}/replies`, { text: 'We have seen your message. Are you safe now?' });
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual(['conversation', 'deliveryState', 'messageId', 'reference']);
    expect(reply.body).toMatchObject({ reference: dmReference, deliveryState: 'pending', conversation: { platform: 'x', messagesIn: 1, messagesOut: 1, awaitingReplySince: null } });
    // Nothing of the screening, flags or decisions, anywhere in the answer.
    expect(JSON.stringify(reply.body)).not.toMatch(/screening|domesticAbuse|riskMarker|flags|crime|incident/);
    // Nor may the same role read the case another way.
    expect((await engagement.get(`/contacts/${dmReference}`)).status).toBe(403);
  });

  it('refuses the inbox of a channel the role cannot answer, naming the field, and logs each inbox read', async () => {
    for (const [client, subject] of [
      [media, 'media-wall'],
      [engagement, 'ce-wall'],
    ] as const) {
      const refused = await client.get<{ fields: Array<{ field: string }> }>('/social-media/inbox?channel=sms');
      expect({ status: refused.status, fields: refused.body.fields }).toEqual({ status: 403, fields: [{ field: 'channel', message: 'needs contact:read' }] });
      expect(JSON.stringify(refused.body)).not.toContain('+447700900777');
      const before = (await accessLog(subject)).length;
      const hub = await client.get<Inbox>('/social-media/inbox');
      expect(hub.status).toBe(200);
      // Each conversation the inbox lists is a read of its case.
      const listed = hub.body.items.map((item) => item.reference);
      expect((await accessLog(subject)).slice(before)).toEqual(listed.map((reference) => ({ reference, role: subject === 'media-wall' ? 'media-team' : 'communications-engagement', action: 'inbox' })));
    }
    // Each refusal is in the security log like the guard's own: the route, who, the refused field.
    const refusals = stack.processes
      .flatMap((process) => process.output.join('').split('\n'))
      .filter((line) => line.includes('"access denied"') && line.includes('/social-media/inbox'))
      .map((line) => JSON.parse(line) as { subject: string; route: string; fields: string[] });
    expect(refusals.map(({ subject, route, fields }) => ({ subject, route, fields })).sort((a, b) => a.subject.localeCompare(b.subject))).toEqual([
      { subject: 'ce-wall', route: '/api/v1/social-media/inbox', fields: ['channel'] },
      { subject: 'media-wall', route: '/api/v1/social-media/inbox', fields: ['channel'] },
    ]);
    // A handler answers texts from the case, so reads their inbox, and that read is logged too.
    await waitUntil(async () => ((await handler.get<Inbox>('/social-media/inbox?channel=sms')).body.items.some((item) => item.reference === smsReference) ? true : undefined), {
      timeoutMs: 15_000,
      what: 'the text message in the SMS inbox',
    });
    expect(await accessLog('pc-wall')).toContainEqual({ reference: smsReference, role: 'contact-handler', action: 'inbox' });
    // And reading the case itself is a view.
    expect((await handler.get(`/contacts/${smsReference}`)).status).toBe(200);
    expect((await accessLog('pc-wall')).at(-1)).toEqual({ reference: smsReference, role: 'contact-handler', action: 'view' });
  });

  it("shows the caller's history at intake only to those who may look callers up, and logs it as a lookup", async () => {
    const caller = { name: 'Wren Hollis', phone: '+447700900888' };
    const first = await handler.post<{ reference: string; callerHistory?: unknown }>('/contacts', { channel: 'non-emergency-call', caller, narrative: 'Someone is going through the bins behind the shops' });
    expect(first.status).toBe(201);
    // No earlier case: nothing was shown, so nothing is logged.
    expect(await accessLog('pc-wall')).not.toContainEqual(expect.objectContaining({ action: 'caller-lookup' }));

    const byEngagement = await engagement.post<Record<string, unknown>>('/contacts', { channel: 'non-emergency-call', caller, narrative: 'The same people are back at the bins' });
    expect(byEngagement.status).toBe(201);
    expect(byEngagement.body).not.toHaveProperty('callerHistory');
    expect(JSON.stringify(byEngagement.body)).not.toContain(first.body.reference);
    expect(await accessLog('ce-wall')).not.toContainEqual(expect.objectContaining({ action: 'caller-lookup' }));

    const byHandler = await handler.post<{ reference: string; callerHistory: { lastReference: string; openReferences: string[] } }>('/contacts', { channel: 'non-emergency-call', caller, narrative: 'A third time at the bins tonight' });
    expect(byHandler.status).toBe(201);
    expect(byHandler.body.callerHistory.openReferences.sort()).toEqual([first.body.reference, byEngagement.body.reference as string].sort());
    const lookups = (await accessLog('pc-wall')).filter((row) => row.action === 'caller-lookup');
    expect(lookups.map((row) => row.reference).sort()).toEqual([first.body.reference, byEngagement.body.reference as string].sort());
    expect(new Set(lookups.map((row) => row.role))).toEqual(new Set(['contact-handler']));
  });
});
