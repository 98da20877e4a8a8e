/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { Channel } from '../../src/domain/channels.js';
import { Role } from '../../src/domain/roles.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs, ok } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { FakePlatform } from '../support/fake-platform.js';
import { type FakeIdentityProvider, startFakeIdentityProvider } from '../support/fake-identity-provider.js';
import { shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SECRET = 'desk-platform-secret-of-at-least-32-chars';
/** A web submission's clock, short enough to see it breach during the test. */
const DIGITAL_SECONDS = 12;

interface CaseView {
  case: { reference: string; stage: string; grade: number | null; assignee: string; resolution: { outcome: string } | null; crimeRecorded: boolean | null };
  referrals: Array<{ agency: string; kind: string }>;
  messages: Array<{ direction: string; text: string; deliveryState: string | null }>;
}
interface AlertView {
  id: string;
  reference: string;
  kind: string;
  clock: string;
  dueAt: string;
  state: string;
  acknowledgement: { action: string; by: { subject: string } } | null;
}

/** Every serious or critical accessibility fault axe-core finds on the page as it is (WCAG 2.0 to 2.2, A and AA). */
async function accessibilityFaults(page: Page): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(' ')) }));
}

/** Whether the (first) element a Playwright selector names has the focus; waits for it to exist. */
const focused = (page: Page, selector: string) => page.locator(selector).first().evaluate((element) => element === document.activeElement, undefined, { timeout: 10_000 });

/** Presses Tab until the element `selector` names has the focus, as a person without a mouse does. */
async function tabTo(page: Page, selector: string, most = 250): Promise<void> {
  for (let presses = 0; presses < most; presses += 1) {
    await page.keyboard.press('Tab');
    if (await focused(page, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** With a list focused: the arrow keys, until the option shown is `label`. */
async function choose(page: Page, label: string): Promise<void> {
  await page.keyboard.press('Home');
  for (let presses = 0; presses < 40; presses += 1) {
    const shown = await page.evaluate(() => {
      const select = document.activeElement as HTMLSelectElement;
      return select.selectedOptions[0]?.textContent ?? '';
    });
    if (shown === label) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`No option ${label}`);
}

/** Tab to a field of a form (by the end of its id: its path) and fill it from the keyboard. */
async function typeInto(page: Page, form: string, path: string, text: string): Promise<void> {
  await tabTo(page, `form[aria-label="${form}"] [id$="-${path}"]`);
  await page.keyboard.type(text);
}
async function chooseIn(page: Page, form: string, path: string, label: string): Promise<void> {
  await tabTo(page, `form[aria-label="${form}"] [id$="-${path}"]`);
  await choose(page, label);
}
/** Opens a form's disclosure and, once filled, sends it: Enter on its summary, then on its button. */
async function openForm(page: Page, summary: string): Promise<void> {
  await tabTo(page, `details:not([open]) > summary:text-is("${summary}")`);
  await page.keyboard.press('Enter');
}
async function send(page: Page, form: string): Promise<void> {
  await tabTo(page, `form[aria-label="${form}"] button[type=submit]`);
  await page.keyboard.press('Enter');
  // Done: its note shows (or the form goes, when what it did closes the case); refused: its summary.
  const outcome = await page.waitForFunction(
    (label) => {
      const sent = document.querySelector(`form[aria-label="${label}"]`);
      if (!sent || sent.querySelector('.done')) return 'done';
      return sent.querySelector('.error-summary')?.textContent ?? false;
    },
    form,
    { timeout: 20_000 },
  );
  expect([form, await outcome.jsonValue()]).toEqual([form, 'done']);
}

/**
 * The handler's desk in Debian's Chromium, through the real API, worker, Temporal and PostgreSQL:
 * people sign in at the identity provider (a local stand-in), work cases with the keyboard alone,
 * race for a claim, take alerts live and lose the connection. Every screen is checked with axe-core
 * and kept as a screenshot in test-artifacts/.
 */
describe("the handler's desk", () => {
  let database: TestDatabase;
  let idp: FakeIdentityProvider;
  let platform: FakePlatform;
  let stack: Stack;
  let browser: Browser;
  let webForms: ApiClient;
  let handler: ApiClient;
  let connector: ApiClient;
  const faults: Record<string, unknown[]> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    idp = await startFakeIdentityProvider();
    platform = new FakePlatform(SECRET);
    await platform.start();
    const policy = shortClockPolicy('test-desk', { digital: DIGITAL_SECONDS, repeat: 600 });
    stack = await startStack(
      testConfig(database.url, {
        OIDC_AUTHORIZATION_URL: idp.authorizationUrl,
        OIDC_TOKEN_URL: idp.tokenUrl,
        OIDC_CLIENT_ID: idp.clientId,
        POLICY_FILE: writePolicyFile(policy),
        CHANNEL_PLATFORM_URL: platform.url,
        CHANNEL_PLATFORM_SECRET: SECRET,
        ALERT_STREAM_HEARTBEAT_SECONDS: '1',
      }),
    );
    // The force's web form gateway opens submissions under a service account of its own.
    webForms = await apiAs(stack.apiUrl, Role.CustomerServiceCentre, 'web-intake');
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-8101');
    connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-x');
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await platform?.stop();
    await idp?.stop();
    await database?.drop();
  });

  const webForm = async (narrative: string, flags: string[] = []) =>
    (await ok<{ reference: string }>(webForms.post('/contacts', { channel: Channel.WebForm, channelDetails: { title: 'Report a crime' }, caller: { name: 'Ottilie Brannigan', email: 'ottilie@example.org' }, narrative, flags }))).reference;
  const caseCount = async () => Number((await database.query<{ count: string }>('select count(*) from contact_case'))[0].count);
  const caseView = async (reference: string) => ok<CaseView>(handler.get(`/contacts/${reference}`));

  /** A person's browser, signed in at the identity provider with the keyboard: Tab to the button, Enter. */
  async function signedIn(role: Role, subject: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    idp.signInAs(role, subject);
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${stack.apiUrl}/desk`);
    await page.waitForSelector('button:text-is("Sign in with the force\'s identity provider")');
    if (!faults['sign-in']) await check(page, 'sign-in');
    await tabTo(page, 'button:text-is("Sign in with the force\'s identity provider")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#who', { timeout: 20_000 });
    expect(await page.textContent('#who')).toContain(subject);
    return { context, page, errors };
  }

  async function check(page: Page, screen: string): Promise<void> {
    faults[screen] = await accessibilityFaults(page);
    expect([screen, faults[screen]]).toEqual([screen, []]);
    await page.screenshot({ path: `${artifacts}desk-${screen}.png`, fullPage: true });
  }

  it('lets a handler take a domestic abuse web form from the top of the queue and work it to closure with the keyboard alone', async () => {
    const reference = await webForm('My ex-partner has been sending threatening messages and waiting outside my flat', ['domestic-abuse']);
    const { context, page, errors } = await signedIn(Role.ContactHandler, 'pc-8101');
    await page.waitForFunction((wanted) => document.querySelector('table.queue tbody tr th')?.textContent === wanted, reference, { timeout: 20_000 });
    await check(page, 'queue');

    // Signed in for work: available, in the contact centre; the queue then narrows to that team.
    await openForm(page, 'Your status');
    await chooseIn(page, 'Your status', 'state', 'Available');
    await typeInto(page, 'Your status', 'team', 'contact-centre');
    await send(page, 'Your status');
    await tabTo(page, 'label:has-text("My team (contact-centre)") input');
    await page.keyboard.press('Space');
    await page.waitForFunction((wanted) => document.querySelector('table.queue tbody tr th')?.textContent === wanted, reference);
    const presence = await ok<{ items: Array<{ subject: string; team: string; state: string }> }>((await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-8102')).get('/presence'));
    expect(presence.items).toContainEqual(expect.objectContaining({ subject: 'pc-8101', team: 'contact-centre', state: 'available' }));

    // Claimed from the top of the queue, then opened.
    await tabTo(page, `button[aria-label="Claim ${reference}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.notice:text-is("You have ${reference} now.")`);
    await tabTo(page, `a:text-is("${reference}")`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#case-title');
    expect(await page.textContent('#case-assignee')).toContain('pc-8101');

    // THRIVE(S): seven factors, each with its rationale, and the grade.
    await openForm(page, 'Assess');
    for (const factor of ['threat', 'harm', 'risk', 'investigation', 'vulnerability', 'engagement', 'safeguarding']) {
      await chooseIn(page, 'Assess', `factors-${factor}-level`, factor === 'threat' || factor === 'safeguarding' ? 'High' : 'Medium');
      await typeInto(page, 'Assess', `factors-${factor}-rationale`, `The ${factor} is judged from what she reported`);
    }
    await chooseIn(page, 'Assess', 'proposedGrade', '2');
    await check(page, 'case-assessment-form');
    await send(page, 'Assess');
    await page.waitForFunction(() => document.getElementById('case-grade')?.textContent?.startsWith('2'));

    await openForm(page, 'Record incident');
    await chooseIn(page, 'Record incident', 'openingCategory', 'Domestic incident');
    await tabTo(page, 'form[aria-label="Record incident"] input[type=checkbox]');
    await page.keyboard.press('Space');
    await send(page, 'Record incident');

    await openForm(page, 'Decide crime');
    await chooseIn(page, 'Decide crime', 'crimeRecorded', 'Yes');
    await chooseIn(page, 'Decide crime', 'classification', 'Stalking harassment');
    await send(page, 'Decide crime');

    await openForm(page, 'Refer');
    await typeInto(page, 'Refer', 'agency', 'Domestic abuse partnership (MARAC)');
    await chooseIn(page, 'Refer', 'kind', 'Safeguarding');
    await typeInto(page, 'Refer', 'reason', 'High risk of further harm from her ex-partner');
    await send(page, 'Refer');

    await openForm(page, 'Resolve');
    await chooseIn(page, 'Resolve', 'outcome', 'Referred');
    await chooseIn(page, 'Resolve', 'closingCategory', 'Domestic incident');
    await send(page, 'Resolve');
    await page.waitForFunction(() => document.getElementById('case-stage')?.textContent === 'Closed');
    await check(page, 'case-closed');

    const closed = await caseView(reference);
    expect(closed.case).toMatchObject({ stage: 'closed', grade: 2, assignee: 'pc-8101', crimeRecorded: true, resolution: expect.objectContaining({ outcome: 'referred' }) });
    expect(closed.referrals).toEqual([expect.objectContaining({ agency: 'Domestic abuse partnership (MARAC)', kind: 'safeguarding' })]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('gives a case claimed by two handlers at once to one of them, and tells the other who has it', async () => {
    const reference = await webForm('Someone has been trying the doors of cars on our street');
    const people = [await signedIn(Role.ContactHandler, 'pc-8201'), await signedIn(Role.ContactHandler, 'pc-8202')];
    for (const { page } of people) await page.waitForSelector(`button[aria-label="Claim ${reference}"]`, { timeout: 20_000 });
    await Promise.all(people.map(({ page }) => page.click(`button[aria-label="Claim ${reference}"]`)));
    const notes = await Promise.all(people.map(async ({ page }) => (await page.waitForSelector('.notice')).textContent()));
    const winner = notes.findIndex((note) => note === `You have ${reference} now.`);
    expect(winner).toBeGreaterThanOrEqual(0);
    const holder = ['pc-8201', 'pc-8202'][winner];
    expect(notes[1 - winner]).toBe(`Not done: Case ${reference} is now with ${holder} (contact-centre), no longer with web-intake`);
    expect((await caseView(reference)).case.assignee).toBe(holder);
    await people[1 - winner].page.screenshot({ path: `${artifacts}desk-claim-refused.png`, fullPage: true });
    for (const { context } of people) await context.close();
  });

  it("shows a team leader a breach alert within seconds of its due time, acknowledged from the screen; a handler's reply reaches the platform", async () => {
    const { context, page, errors } = await signedIn(Role.TeamLeader, 'sgt-8301');
    const teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-8301');
    await tabTo(page, 'a:text-is("Alerts")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#alerts-title');
    const reference = await webForm('There is a van parked across my drive every night');
    const breach = await waitUntil(
      async () => {
        const answer = await teamLeader.get<{ items: AlertView[] }>(`/alerts?reference=${reference}`);
        return answer.body.items.find((alert) => alert.kind === 'breach');
      },
      { timeoutMs: (DIGITAL_SECONDS + 20) * 1_000, what: 'the breach alert' },
    );
    await page.waitForSelector(`li.alert-new:has(a:text-is("${reference}"))`, { timeout: 10_000 });
    const shownAfterDueMs = Date.now() - Date.parse(breach.dueAt);
    console.log(`breach alert on the team leader's screen ${shownAfterDueMs} ms after its due time`);
    expect(shownAfterDueMs).toBeLessThan(10_000);
    expect(await page.title()).toMatch(/^\(\d+\) /);
    await check(page, 'alerts');

    const alertItem = `li[id="alert-${breach.id}"]`;
    await tabTo(page, `${alertItem} summary`);
    await page.keyboard.press('Enter');
    await tabTo(page, `${alertItem} select`);
    await choose(page, 'Contacted caller');
    await tabTo(page, `${alertItem} button[type=submit]`);
    await page.keyboard.press('Enter');
    const acknowledged = await waitUntil(
      async () => {
        const answer = await teamLeader.get<AlertView>(`/alerts/${encodeURIComponent(breach.id)}`);
        return answer.body.acknowledgement ? answer.body : undefined;
      },
      { timeoutMs: 10_000, what: 'the acknowledgement' },
    );
    expect(acknowledged.acknowledgement).toMatchObject({ action: 'contacted-caller', by: { subject: 'sgt-8301' } });
    expect(errors).toEqual([]);
    await context.close();

    // A direct message opens a case; the handler answers it from the case screen.
    const received = await ok<{ reference: string }>(
      connector.post('/channels/social-media/messages', { platform: 'x', conversationId: 'dm-8401', messageId: 'x-8401-1', handle: '@perpetua_lindqvist', text: 'Is the road by the quarry closed tonight?', sentAt: new Date().toISOString() }),
    );
    const desk = await signedIn(Role.ContactHandler, 'pc-8401');
    await desk.page.goto(`${stack.apiUrl}/desk#/case/${received.reference}`);
    await desk.page.waitForSelector('form[aria-label="Reply"]');
    await typeInto(desk.page, 'Reply', 'text', 'It is open, but there are roadworks until Friday.');
    await send(desk.page, 'Reply');
    await waitUntil(() => Promise.resolve(platform.taken.some((message) => message.kind === 'reply' && message.conversationId === 'dm-8401') ? true : undefined), { timeoutMs: 20_000, what: 'the reply at the platform' });
    expect(platform.taken.filter((message) => message.conversationId === 'dm-8401').map((message) => message.text)).toEqual(['It is open, but there are roadworks until Friday.']);
    await desk.page.waitForSelector('.message-out');
    await check(desk.page, 'case-conversation');
    expect(desk.errors).toEqual([]);
    await desk.context.close();
  });

  it('shows a refused field at the field, opens one case however often the form is sent, and shows a lost connection until it returns', async () => {
    const { context, page, errors } = await signedIn(Role.ContactHandler, 'pc-8501');
    await tabTo(page, 'a:text-is("Take a contact")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[aria-label="Take a contact"] select');
    await chooseIn(page, 'Take a contact', 'channel', 'Web form');
    await typeInto(page, 'Take a contact', 'channelDetails-title', 'Report antisocial behaviour');
    await typeInto(page, 'Take a contact', 'narrative', 'Youths are throwing stones at the bus shelter');
    await typeInto(page, 'Take a contact', 'location-postcode', 'not a postcode');
    await check(page, 'take-a-contact');
    await tabTo(page, 'form[aria-label="Take a contact"] button[type=submit]');
    await page.keyboard.press('Enter');

    // The API names `location.postcode`: its message is at the field, and the summary links to it.
    const fieldError = await page.waitForSelector('[id$="-location-postcode-error"]', { timeout: 10_000 });
    expect(await fieldError.textContent()).toMatch(/^Error: .+/);
    expect(await page.getAttribute('[id$="-location-postcode"]:not([id$="-error"])', 'aria-invalid')).toBe('true');
    expect(await page.textContent('.error-summary')).toContain('location.postcode');
    expect(await focused(page, '.error-summary')).toBe(true);
    await check(page, 'take-a-contact-refused');
    const before = await caseCount();

    // Mended, and sent three times at once: one case.
    await tabTo(page, '[id$="-location-postcode"]:not([id$="-error"])');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('B1 1AA');
    await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('form[aria-label="Take a contact"] button[type=submit]')!;
      for (let press = 0; press < 3; press += 1) button.click();
    });
    await page.waitForSelector('#case-title', { timeout: 20_000 });
    await waitUntil(async () => ((await caseCount()) === before + 1 ? true : undefined), { timeoutMs: 10_000, what: 'the case written' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await caseCount()).toBe(before + 1);

    // The network goes: the banner says so; it comes back: the banner goes and the queue is read again.
    await tabTo(page, 'a:text-is("Queue")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('table.queue');
    await context.setOffline(true);
    await page.waitForSelector('#connection-banner', { timeout: 20_000 });
    expect(await page.textContent('#connection-banner')).toContain('lost');
    await check(page, 'connection-lost');
    const reference = await webForm('A shopping trolley has been left in the canal');
    await context.setOffline(false);
    await page.waitForSelector('#connection-banner', { state: 'detached', timeout: 20_000 });
    await page.waitForSelector(`table.queue a:text-is("${reference}")`, { timeout: 20_000 });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows the caller's earlier cases and the vulnerable caller warning before the case is opened", async () => {
    const phone = '07700 900461';
    await ok(handler.post('/contacts', { channel: Channel.NonEmergencyCall, caller: { name: 'Wilhelmina Auster', phone }, narrative: 'My neighbour keeps shouting at me', flags: ['vulnerable-person'] }));
    const { context, page, errors } = await signedIn(Role.ContactHandler, 'pc-8601');
    await tabTo(page, 'a:text-is("Take a contact")');
    await page.keyboard.press('Enter');
    await chooseIn(page, 'Take a contact', 'channel', 'Non emergency call');
    await typeInto(page, 'Take a contact', 'caller-phone', '+44 7700 900461');
    await typeInto(page, 'Take a contact', 'narrative', 'She says the shouting started again tonight');
    const before = await caseCount();
    await tabTo(page, 'form[aria-label="Take a contact"] button[type=submit]');
    await page.keyboard.press('Enter');
    const warning = await page.waitForSelector('form[aria-label="Take a contact"] .warning', { timeout: 10_000 });
    expect(await warning.textContent()).toContain('Repeat caller, vulnerable or domestic abuse before: 1 earlier case');
    expect(await warning.textContent()).toContain('Non emergency call');
    expect(await caseCount()).toBe(before);
    await check(page, 'take-a-contact-repeat-caller');
    // Read, then sent: the case opens.
    await tabTo(page, 'button:text-is("Open the case, having read the history")');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#case-title', { timeout: 20_000 });
    expect(await caseCount()).toBe(before + 1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('explains in words a command refused because someone else closed the case meanwhile', async () => {
    const reference = await webForm('A bin lorry has blocked the lane since this morning');
    const { context, page, errors } = await signedIn(Role.ContactHandler, 'pc-8701');
    await page.goto(`${stack.apiUrl}/desk#/case/${reference}`);
    await page.waitForSelector('details > summary:text-is("Add note")');
    // The screen as it was a moment ago: its refresh held back while a colleague closes the case.
    await page.route(`**/api/v1/contacts/${reference}`, (route) => (route.request().method() === 'GET' ? route.abort() : route.continue()));
    const colleague = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-8702');
    await ok(colleague.post(`/contacts/${reference}/assessments`, assessment({}, 4)));
    await ok(colleague.post(`/contacts/${reference}/incident`, { openingCategory: 'highway-disruption', qualifiers: [] }));
    await ok(colleague.post(`/contacts/${reference}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'highway-disruption' }));
    await openForm(page, 'Add note');
    await typeInto(page, 'Add note', 'text', 'Council informed');
    await tabTo(page, 'form[aria-label="Add note"] button[type=submit]');
    await page.keyboard.press('Enter');
    const summary = await page.waitForSelector('form[aria-label="Add note"] .error-summary', { timeout: 20_000 });
    expect(await summary.textContent()).toMatch(new RegExp(`Not done: Case ${reference} was closed by pc-8702 at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: a closed case takes no further commands`));
    // Once the screen can read the case again, it shows it closed and offers nothing more.
    await page.unroute(`**/api/v1/contacts/${reference}`);
    await page.waitForFunction(() => document.getElementById('case-stage')?.textContent === 'Closed', undefined, { timeout: 20_000 });
    expect(await page.locator('details.action').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('found no serious or critical accessibility fault on any screen', () => {
    expect(Object.keys(faults).sort()).toEqual(['alerts', 'case-assessment-form', 'case-closed', 'case-conversation', 'connection-lost', 'queue', 'take-a-contact', 'take-a-contact-refused', 'take-a-contact-repeat-caller', 'sign-in'].sort());
    expect(Object.values(faults).flat()).toEqual([]);
  });
});
