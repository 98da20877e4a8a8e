import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { type Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { savedViews, savedViewUrl } from '../../src/modules/platform/temporal/saved-views.js';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/dev/temporal-dev-server.js';
import { Role } from '../../src/domain/roles.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { apiAs } from '../support/api-client.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { tokenFor } from '../support/test-tokens.js';

const NAMESPACE = 'police-contact';
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * The supervisors' view: the Temporal Web UI served by the dev server, in Debian's Chromium. The
 * UI filters cases by a custom search attribute and shows their summaries, which it can read only
 * through the API's codec endpoint with a supervisor's token (as the UI passes a signed-in user's
 * access token); screenshots are kept in test-artifacts/.
 */
describe('the Temporal Web UI for supervisors', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let server: TemporalDevServer;
  let browser: Browser;
  let uiUrl: string;
  const references: Record<'ir1' | 'ir2' | 'call', string> = { ir1: '', ir2: '', call: '' };

  beforeAll(async () => {
    const [temporalPort, uiPort] = [await findFreePort(), await findFreePort()];
    uiUrl = `http://127.0.0.1:${uiPort}`;
    database = await createTestDatabase();
    config = testConfig(database.url, { TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`, TEMPORAL_NAMESPACE: NAMESPACE, CODEC_CORS_ORIGINS: uiUrl });
    // The API first (it waits for Temporal), so that the UI can be started pointing at its codec endpoint.
    stack = await startStack(config, { expectHealthy: false });
    server = await startTemporalDevServer({
      cliPath: resolveTemporalCli(process.env.TEMPORAL_CLI, process.env),
      port: temporalPort,
      uiPort,
      namespace: NAMESPACE,
      uiCodecEndpoint: `${stack.apiUrl}/codec`,
    });
    await waitUntil(async () => ((await fetch(`${stack.apiUrl}/health`)).status === 200 ? true : undefined), { timeoutMs: 60_000, what: 'the API to be healthy' });

    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-7001');
    const open = async (body: Record<string, unknown>) => {
      const answer = await handler.post<{ reference: string }>('/contacts', body);
      expect(answer.status).toBe(201);
      return answer.body.reference;
    };
    references.ir1 = await open({ channel: Channel.WebForm, channelDetails: { title: 'Threats' }, caller: { name: 'Ada Lindqvist' }, narrative: 'He said he would stab me' });
    references.ir2 = await open({ channel: Channel.Email, caller: { email: 'mo@example.org' }, narrative: 'My partner hit me again', flags: ['domestic-abuse'] });
    references.call = await open({ channel: Channel.NonEmergencyCall, caller: { phone: '+44 7700 900999' }, narrative: 'Lost my wallet on the bus' });

    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const client = new Client({ connection, namespace: NAMESPACE });
      await waitUntil(
        async () => {
          let count = 0;
          for await (const _ of client.workflow.list({ query: 'CaseRiskMarker = "IR"' })) count += 1;
          return count === 2 ? true : undefined;
        },
        { timeoutMs: 20_000, what: 'the IR cases to be visible' },
      );
    } finally {
      await connection.close();
    }
    browser = await launchChromium();
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await server?.stop();
    await database?.drop();
  });

  it('filters the live cases by a custom search attribute and shows their summaries through the codec', async () => {
    const supervisorToken = await tokenFor(Role.TeamLeader, 'sgt-31');
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const decodes: number[] = [];
    // The UI passes the signed-in supervisor's access token to the codec endpoint.
    await context.route(`${stack.apiUrl}/codec/**`, async (route) => {
      const response = await route.fetch({ headers: { ...route.request().headers(), authorization: `Bearer ${supervisorToken}` } });
      decodes.push(response.status());
      await route.fulfill({ response });
    });
    const page = await context.newPage();

    const irView = savedViews.find((view) => view.name === 'Open IR cases')!;
    await page.goto(savedViewUrl(uiUrl, NAMESPACE, irView.query));
    for (const reference of [references.ir1, references.ir2]) {
      await page.getByText(contactCaseWorkflowId(reference)).first().waitFor({ timeout: 30_000 });
    }
    expect(await page.getByText(contactCaseWorkflowId(references.call)).count()).toBe(0);
    await page.screenshot({ path: `${artifacts}temporal-ui-open-ir-cases.png`, fullPage: true });

    await page.goto(`${uiUrl}/namespaces/${NAMESPACE}/workflows/${contactCaseWorkflowId(references.ir1)}`);
    await page.getByText(`${references.ir1} · web-form · IR · ungraded`).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${artifacts}temporal-ui-case-summary.png`, fullPage: true });
    expect(decodes.length).toBeGreaterThan(0);
    expect(decodes.every((status) => status === 200)).toBe(true);
    await context.close();
  });

  it('shows a browser without a supervisor’s token no summary (the codec endpoint refuses it)', async () => {
    const context = await browser.newContext();
    const refused: number[] = [];
    context.on('response', (response) => {
      if (response.url().startsWith(`${stack.apiUrl}/codec/`) && response.request().method() === 'POST') refused.push(response.status());
    });
    const page = await context.newPage();
    await page.goto(`${uiUrl}/namespaces/${NAMESPACE}/workflows/${contactCaseWorkflowId(references.ir1)}`);
    await waitUntil(() => Promise.resolve(refused.length > 0 ? true : undefined), { timeoutMs: 30_000, what: 'the UI to call the codec endpoint' });
    expect(refused.every((status) => status === 401)).toBe(true);
    expect(await page.getByText('Ada Lindqvist').count()).toBe(0);
    await context.close();
  });
});
