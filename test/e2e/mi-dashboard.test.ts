import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { Channel } from '../../src/domain/channels.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { type FakeIdentityProvider, startFakeIdentityProvider } from '../support/fake-identity-provider.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const CALLERS = ['Morgan Oakes', 'Riley Fenwick'];

/** The rows of a CSV whose fields hold no comma, quote or line break (the dataset's, here). */
const csvRows = (text: string) => text.trimEnd().split('\n').map((line) => line.split(','));

/**
 * The police authority's page in Debian's Chromium, signed in as a browser user is: authorization
 * code with PKCE at the identity provider (a local stand-in), then the figures drawn from the API.
 * Screenshots are kept in test-artifacts/.
 */
describe('the management information page', () => {
  let database: TestDatabase;
  let idp: FakeIdentityProvider;
  let stack: Stack;
  let browser: Browser;
  let forceCode = '';

  beforeAll(async () => {
    database = await createTestDatabase();
    idp = await startFakeIdentityProvider();
    stack = await startStack(
      testConfig(database.url, { OIDC_AUTHORIZATION_URL: idp.authorizationUrl, OIDC_TOKEN_URL: idp.tokenUrl, OIDC_CLIENT_ID: idp.clientId }),
    );
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-7101');
    for (const [index, name] of CALLERS.entries()) {
      const created = await handler.post<{ reference: string }>('/contacts', { channel: index === 0 ? Channel.NonEmergencyCall : Channel.Email, caller: { name, email: `caller${index}@example.org` }, narrative: 'My bicycle was stolen from the station' });
      expect(created.status).toBe(201);
      forceCode = created.body.reference.split('-')[0];
      const path = `/contacts/${created.body.reference}`;
      expect((await handler.post(`${path}/assessments`, assessment({}, 4))).status).toBe(201);
      expect((await handler.post(`${path}/incident`, { openingCategory: 'advice', qualifiers: [] })).status).toBe(201);
      expect((await handler.post(`${path}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'advice' })).status).toBe(201);
    }
    await waitUntil(async () => ((await database.query("select 1 from case_event where type = 'closed'")).length === CALLERS.length ? true : undefined), { timeoutMs: 15_000, what: 'the closures recorded' });
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await idp?.stop();
    await database?.drop();
  });

  it('signs an auditor in at the identity provider and draws every measure, from the app alone, with counts only', async () => {
    idp.signInAs(Role.Auditor, 'aud-7102');
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${stack.apiUrl}/mi`);
    await page.click('#sign-in-oidc');
    await page.waitForSelector('#report:not([hidden])', { timeout: 20_000 });
    await page.waitForFunction("document.querySelectorAll('#charts canvas').length >= 10");
    expect(page.url()).toBe(`${stack.apiUrl}/mi`);
    expect(idp.exchanges).toEqual([{ status: 200, reason: 'ok' }]);
    expect(await page.textContent('#who-text')).toContain('aud-7102');
    const contacts = await page.locator('#comparison tbody tr').first().locator('td').allTextContents();
    expect(contacts.slice(0, 2)).toEqual(['Contacts', String(CALLERS.length)]);
    await page.screenshot({ path: `${artifacts}mi-dashboard-auditor.png`, fullPage: true });

    // The chart library and everything else came from the API (and the sign-in from the identity provider): no CDN.
    expect([...origins].sort()).toEqual([stack.apiUrl, idp.url].sort());
    expect(errors).toEqual([]);

    // The CSV the page downloads is the API's CSV for the same question; neither names a caller.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const downloaded = readFileSync((await download.path()), 'utf8');
    const query = `from=${await page.inputValue('#from')}&to=${await page.inputValue('#to')}&groupBy=month`;
    const direct = await fetch(`${stack.apiUrl}/api/v1/mi/measures.csv?${query}`, { headers: { authorization: `Bearer ${await tokenFor(Role.Auditor, 'aud-7102')}` } });
    expect(downloaded).toBe(await direct.text());
    const pageText = (await page.textContent('body')) ?? '';
    for (const personal of [...CALLERS, 'caller0@example.org', 'bicycle']) {
      expect([personal, pageText.includes(personal), downloaded.includes(personal)]).toEqual([personal, false, false]);
    }
    await context.close();
  });

  it("exports the open dataset with its definitions, reads a second force's file and sets the two side by side", async () => {
    idp.signInAs(Role.Auditor, 'aud-7104');
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${stack.apiUrl}/mi`);
    await page.click('#sign-in-oidc');
    await page.waitForSelector('#report:not([hidden])', { timeout: 20_000 });

    // The page's download is the API's dataset for the same question; every row meets the schema,
    // which is public (definitions, no figures) and holds a definition for each measure.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-dataset')]);
    const exported = readFileSync(await download.path(), 'utf8');
    const query = `from=${await page.inputValue('#from')}&to=${await page.inputValue('#to')}&groupBy=month`;
    const direct = await fetch(`${stack.apiUrl}/api/v1/mi/dataset.csv?${query}`, { headers: { authorization: `Bearer ${await tokenFor(Role.Auditor, 'aud-7104')}` } });
    expect(direct.headers.get('content-disposition')).toBe(`attachment; filename="${forceCode}-measures-${await page.inputValue('#from')}-${await page.inputValue('#to')}-month.csv"`);
    expect(download.suggestedFilename()).toBe(`${forceCode}-measures-${await page.inputValue('#from')}-${await page.inputValue('#to')}-month.csv`);
    expect(exported).toBe(await direct.text());
    const schemaAnswer = await fetch(`${stack.apiUrl}/api/v1/mi/dataset.schema.json`);
    expect(schemaAnswer.status).toBe(200);
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile((await schemaAnswer.json()) as object);
    const [header, ...rows] = csvRows(exported);
    expect(header).toEqual(['force', 'scope', 'period_start', 'period_end', 'measure', 'unit', 'value']);
    const records = rows.map(([force, scope, periodStart, periodEnd, measure, unit, value]) => ({ force, scope, period_start: periodStart, period_end: periodEnd, measure, unit, value: value === '' ? null : Number(value) }));
    expect(records.filter((record) => !validate(record))).toEqual([]);
    expect(new Set(records.map((record) => record.force))).toEqual(new Set([forceCode]));
    const total = (measure: string) => records.find((record) => record.scope === 'total' && record.measure === measure)?.value;
    expect([total('demand.contacts'), total('resolution.closed'), total('resolution.fcrShare')]).toEqual([CALLERS.length, CALLERS.length, 1]);
    for (const personal of [...CALLERS, 'caller0@example.org', 'bicycle']) expect([personal, exported.includes(personal)]).toEqual([personal, false]);

    // A second force's file: the same measures, its own code and figures.
    const theirs = rows.map((cells) => {
      const changed = ['ZZY', ...cells.slice(1)];
      if (cells[1] === 'total' && cells[4] === 'demand.contacts') changed[6] = '5713';
      if (cells[1] === 'total' && cells[4] === 'resolution.fcrShare') changed[6] = '0.25';
      return changed.join(',');
    });
    await page.setInputFiles('#benchmark-file', { name: 'ZZY-measures.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header.join(',')}\n${theirs.join('\n')}\n`) });
    await page.waitForSelector('#benchmark:not([hidden])');
    expect([await page.textContent('#benchmark-ours'), await page.textContent('#benchmark-theirs')]).toEqual([`${forceCode} (this force)`, 'ZZY']);
    const row = async (measure: string) => page.locator('#benchmark tbody tr', { has: page.locator('td', { hasText: new RegExp(`^${measure.replaceAll('.', '\\.')}$`) }) }).locator('td').allTextContents();
    expect(await row('demand.contacts')).toEqual(['demand.contacts', 'count', String(CALLERS.length), '5713']);
    expect(await row('resolution.fcrShare')).toEqual(['resolution.fcrShare', 'share', '100.0%', '25.0%']);
    expect(await page.textContent('#benchmark-note')).toContain(`ZZY: ${await page.inputValue('#from')} to`);
    await page.locator('#benchmark').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${artifacts}mi-dashboard-benchmark.png`, fullPage: true });

    // A file that is not such a dataset is refused, naming the line at fault, and nothing is shown.
    const broken = [header.join(','), theirs[0], theirs[1].replace(/,[^,]*$/, ',lots')].join('\n');
    await page.setInputFiles('#benchmark-file', { name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await page.waitForSelector('#benchmark', { state: 'hidden' });
    expect(await page.textContent('#benchmark-note')).toBe('Line 3: the value must be a number, or empty.');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('tells a contact handler, who may not read it, and refuses a forged sign-in', async () => {
    idp.signInAs(Role.ContactHandler, 'pc-7103');
    const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${stack.apiUrl}/mi`);
    await page.click('#sign-in-oidc');
    await page.waitForSelector('#message:not([hidden])', { timeout: 20_000 });
    expect(await page.textContent('#message')).toContain('do not include management information');
    expect(await page.isHidden('#report')).toBe(true);
    await page.screenshot({ path: `${artifacts}mi-dashboard-handler-refused.png`, fullPage: true });

    // A code sent back with a state this browser did not send is not exchanged.
    const before = idp.exchanges.length;
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${stack.apiUrl}/mi?code=forged&state=forged`);
    await page.waitForSelector('#message:not([hidden])');
    expect(await page.textContent('#message')).toContain('did not come back as it went out');
    expect(idp.exchanges.length).toBe(before);
    await context.close();

    // With an identity provider configured, the development sign-in is off.
    const development = await fetch(`${stack.apiUrl}/mi/sign-in/development`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor', subject: 'x' }) });
    expect(development.status).toBe(403);
  });
});
