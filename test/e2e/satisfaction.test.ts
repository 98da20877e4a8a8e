import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ApiClient } from '../../src/cli/api-client.js';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { Role } from '../../src/domain/roles.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { apiAs, ok } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { FakePlatform } from '../support/fake-platform.js';
import { defaultPolicy, writePolicyFile } from '../support/policies.js';
import { expectedSatisfaction } from '../support/satisfaction-expected.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';

const SECRET = 'platform-secret-shared-with-the-connector-0123456789';
/** How long a link stays open here: long enough to answer, short enough to see one expire. */
const LINK_SECONDS = 20;
/** Words only a comment holds: they must never reach the figures. */
const COMMENT = 'Constable Marigold was patient and kind';
/** Where the public reaches the API, as the links say: the test reaches the same API on loopback. */
const PUBLIC_URL = 'https://contact.force.example';

interface SurveyRow {
  id: string;
  reference: string;
  decision: string;
  not_asked_reason: string | null;
  route: string | null;
  team: string;
  channel: string;
  outcome: string | null;
  first_contact_resolution: boolean | null;
  rating: number | null;
  answered_at: string | null;
  delivery_state: string;
}

/**
 * Asking the public how it went: after each case closes, its caller is asked once through their own
 * channel (never when anonymous or opted out, at most once in the policy's days); a link takes one
 * answer until it expires; the figures count ratings, never a comment's words.
 */
describe('satisfaction surveys', () => {
  const policy = { ...defaultPolicy(), version: 'test-satisfaction', satisfaction: { askAtMostEveryDays: 30, linkValidHours: LINK_SECONDS / 3_600 } };
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let platform: FakePlatform;
  let handler: ApiClient;
  let connector: ApiClient;
  let auditor: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    platform = new FakePlatform(SECRET);
    await platform.start();
    config = testConfig(database.url, { POLICY_FILE: writePolicyFile(policy), CHANNEL_PLATFORM_URL: platform.url, CHANNEL_PLATFORM_SECRET: SECRET, SURVEY_BASE_URL: PUBLIC_URL });
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-7101');
    connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-7102');
    auditor = await apiAs(stack.apiUrl, Role.Auditor, 'aud-7103');
  });

  afterAll(async () => {
    await stack?.stop();
    await platform?.stop();
    await database?.drop();
  });

  const close = async (reference: string, outcome: 'resolved-at-first-contact' | 'signposted') => {
    await ok(handler.post(`/contacts/${reference}/assessments`, assessment({}, 4)));
    await ok(handler.post(`/contacts/${reference}/incident`, { openingCategory: 'advice', qualifiers: [] }));
    await ok(handler.post(`/contacts/${reference}/resolution`, outcome === 'signposted' ? { outcome, closingCategory: 'advice', signpostedTo: 'The council' } : { outcome, closingCategory: 'advice' }));
  };
  const open = async (body: Record<string, unknown>) => (await ok<{ reference: string }>(handler.post('/contacts', body))).reference;
  const surveys = () => database.query<SurveyRow>('select * from satisfaction_survey order by reference');
  const linkIn = (text: string) => /(https?:\/\/[^\s)]+\/survey\/[^\s)]+)/.exec(text)?.[1];
  const onLoopback = (link: string) => {
    expect(link.startsWith(`${PUBLIC_URL}/survey/`)).toBe(true);
    return `${stack.apiUrl}${link.slice(PUBLIC_URL.length)}`;
  };
  const get = (link: string) => fetch(onLoopback(link));
  const answerForm = (link: string, fields: Record<string, string>) =>
    fetch(onLoopback(link), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  it('asks each caller once through their own channel, takes one answer per link until it expires, and counts ratings only', async () => {
    // An e-mail web form, a 101 call, a web chat, a 999 text; an anonymous report; a caller who said no.
    const web = await open({ channel: Channel.WebForm, channelDetails: { title: 'Lost property' }, caller: { name: 'Ash Example', email: 'ash@example.org' }, narrative: 'I lost my keys in the park' });
    const call = await open({ channel: Channel.NonEmergencyCall, caller: { name: 'Bo Example', phone: '07700 900777' }, narrative: 'A question about parking' });
    const chat = (
      await ok<{ reference: string }>(
        connector.post('/channels/webchat/messages', { platform: 'webchat', conversationId: 'sat-chat', messageId: 'sat-chat-1', handle: 'Visitor 3', text: 'Is my bike reported?', sentAt: new Date().toISOString() }),
      )
    ).reference;
    const text = await open({ channel: Channel.EmergencyText, caller: { name: 'Cy Example', phone: '07700 900888' }, narrative: 'Text about a noise' });
    const anonymous = await open({ channel: Channel.WebForm, channelDetails: { title: 'Tip-off' }, caller: { anonymous: true }, narrative: 'Something odd at the corner shop' });
    const optedOut = await open({ channel: Channel.Email, caller: { email: 'dee@example.org', surveyOptOut: true }, narrative: 'Where do I send a form?' });
    for (const reference of [web, call, chat, text, anonymous, optedOut]) await close(reference, reference === call ? 'signposted' : 'resolved-at-first-contact');
    // The 101 caller rings again and that case closes too: asked once in the period, not twice.
    const again = await open({ channel: Channel.NonEmergencyCall, caller: { name: 'Bo Example', phone: '+44 7700 900777' }, narrative: 'Another question about parking' });
    await close(again, 'resolved-at-first-contact');

    const decided = await waitUntil(async () => {
      const rows = await surveys();
      return rows.length === 7 && rows.filter((row) => row.delivery_state === 'pending').length === 0 ? rows : undefined;
    }, { timeoutMs: 30_000, what: 'every closed case decided and its invitation sent' });
    const of = (reference: string) => decided.find((row) => row.reference === reference)!;
    expect([web, call, chat, text, anonymous, optedOut, again].map((reference) => [of(reference).decision, of(reference).route ?? of(reference).not_asked_reason])).toEqual([
      ['asked', 'email'],
      ['asked', 'call-back'],
      ['asked', 'conversation'],
      ['asked', 'sms'],
      ['not-asked', 'anonymous'],
      ['not-asked', 'opted-out'],
      ['not-asked', 'asked-recently'],
    ]);

    // Each invitation went out once, through its own channel, naming no case and no one.
    const invitations = platform.taken.filter((message) => message.kind === 'survey' || (message.kind === 'reply' && message.text.includes('/survey/')));
    expect(invitations.map((message) => [message.kind, message.route ?? message.conversationId, message.to ?? null]).sort()).toEqual([
      ['reply', 'sat-chat', null],
      ['survey', 'email', 'ash@example.org'],
      ['survey', 'sms', '07700 900888'],
    ]);
    expect(new Set(invitations.map((message) => message.idempotencyKey)).size).toBe(3);
    for (const message of invitations) {
      for (const personal of [web, chat, text, 'Ash', 'Cy', 'Visitor', 'keys', 'bike']) expect([personal, message.text.includes(personal)]).toEqual([personal, false]);
    }
    const linkOf = (route: string) => linkIn(invitations.find((message) => (message.route ?? 'conversation') === route)!.text)!;

    // The page opens without an account, and says nothing of the case.
    const page = await get(linkOf('email'));
    const html = await page.text();
    expect([page.status, html.includes('How did we do?'), html.includes(web), html.includes('keys')]).toEqual([200, true, false, false]);

    // One answer per link: the first is taken, the second refused; a rating off the scale is named.
    const bad = await answerForm(linkOf('email'), { rating: '7' });
    expect([bad.status, ((await bad.json()) as { fields: Array<{ field: string }> }).fields.map((problem) => problem.field)]).toEqual([400, ['rating']]);
    expect((await answerForm(linkOf('email'), { rating: '5', comment: COMMENT })).status).toBe(201);
    expect((await answerForm(linkOf('email'), { rating: '1', comment: 'Second thoughts' })).status).toBe(409);
    expect((await get(linkOf('email'))).status).toBe(409);
    expect((await answerForm(linkOf('conversation'), { rating: '2' })).status).toBe(201);
    // A link altered by one character is no survey.
    const forged = linkOf('conversation').replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    expect((await answerForm(forged, { rating: '5' })).status).toBe(404);

    // The 101 caller is on the list to call back; the handler asks and sends the answer.
    const callBacks = await ok<{ items: Array<{ reference: string; link: string }> }>(handler.get('/surveys/call-backs'));
    expect(callBacks.items.map((item) => item.reference)).toEqual([call]);
    expect((await answerForm(callBacks.items[0].link, { rating: '4', comment: 'Quick and clear' })).status).toBe(201);
    expect((await ok<{ items: unknown[] }>(handler.get('/surveys/call-backs'))).items).toEqual([]);

    // The text message's link is left: once it expires it takes nothing.
    const sms = of(text);
    await waitUntil(async () => (Date.now() > new Date((await database.query<{ expires_at: string }>('select expires_at from satisfaction_survey where id = $1', [sms.id]))[0].expires_at).getTime() + 500 ? true : undefined), {
      timeoutMs: (LINK_SECONDS + 10) * 1_000,
      what: 'the text message survey to expire',
    });
    expect((await get(linkOf('sms'))).status).toBe(410);
    expect((await answerForm(linkOf('sms'), { rating: '3' })).status).toBe(410);
    const answered = await surveys();
    expect(answered.filter((row) => row.answered_at !== null).map((row) => [row.reference, row.rating])).toEqual(
      [
        [web, 5],
        [call, 4],
        [chat, 2],
      ].sort(),
    );

    // The figures, recomputed from the surveys the store holds: ratings by channel, outcome and
    // first contact resolution, for the team; never a comment's words.
    const day = 86_400_000;
    const query = `from=${new Date(Date.now() - day).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 2 * day).toISOString().slice(0, 10)}&groupBy=day`;
    const team = answered[0].team;
    const report = await ok<{ total: { measures: { satisfaction: unknown } } }>(auditor.get(`/mi/measures?${query}&team=${team}`));
    expect(report.total.measures.satisfaction).toEqual(await expectedSatisfaction(database, team));
    expect(report.total.measures.satisfaction).toMatchObject({ asked: 4, answered: 3, meanRating: 11 / 3, byOutcome: { signposted: { answered: 1, meanRating: 4 } } });

    const bearer = { authorization: `Bearer ${await tokenFor(Role.Auditor, 'aud-7103')}` };
    const csv = await (await fetch(`${stack.apiUrl}/api/v1/mi/measures.csv?${query}`, { headers: bearer })).text();
    const dataset = await (await fetch(`${stack.apiUrl}/api/v1/mi/dataset.csv?${query}`, { headers: bearer })).text();
    expect(csv).toMatch(/satisfaction\.meanRating,3\.66/);
    expect(dataset).toMatch(/satisfaction\.byChannel\.webchat\.meanRating,rating,2/);
    for (const words of ['Marigold', 'patient', 'Quick and clear', 'Second thoughts']) {
      expect([words, JSON.stringify(report).includes(words), csv.includes(words), dataset.includes(words)]).toEqual([words, false, false, false]);
    }
  }, 120_000);
});
