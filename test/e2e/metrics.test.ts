import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { demoScenarios, runScenario } from '../../src/cli/demo-scenarios.js';
import { type AlertView } from '../../src/modules/alerts/alert-queries.service.js';
import { apiAs } from '../support/api-client.js';
import { openAlertStream } from '../../src/cli/alert-stream-client.js';
import { FakePlatform } from '../support/fake-platform.js';
import { tokenFor } from '../support/test-tokens.js';
import { shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { has, parsePrometheusText, type Sample, total } from '../support/prometheus-text.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SECRET = 'webhook-secret-for-the-metrics-test-0123456789';
const PLATFORM_SECRET = 'platform-secret-for-the-metrics-test-0123456789';
const DM = { platform: 'x', conversationId: 'dm-553311', messageId: 'x-metrics-1', handle: '@quillfeather_m', text: 'The man from the corner shop is sending me frightening messages' };
const REPLY = 'Thank you; an officer will call you this afternoon';
const CALLER = { name: 'Morgan Quill', phone: '+44 7700 900731' };
const NARRATIVE = 'Somebody keeps following my daughter home from the bus stop';

/**
 * The API's and the worker's metrics endpoints on a real stack, scraped after a whole case's
 * lifecycle, a breach and its acknowledgement: each figure is checked against what the test did and
 * what the case store holds, and no label carries a reference, a name, a number or anyone's words.
 */
describe('metrics: what an operator can watch', () => {
  const policy = shortClockPolicy('test-metrics', { digital: 2, repeat: 600 });
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let receiver: Server;
  let handler: ApiClient;
  let teamLeader: ApiClient;
  let connector: ApiClient;
  let platform: FakePlatform;
  const references: string[] = [];
  let apiMetrics: string;
  let workerMetrics: string;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const [apiPort, workerPort] = [await findFreePort(), await findFreePort()];
    apiMetrics = `http://127.0.0.1:${apiPort}/metrics`;
    workerMetrics = `http://127.0.0.1:${workerPort}/metrics`;
    platform = new FakePlatform(PLATFORM_SECRET);
    await platform.start();
    database = await createTestDatabase();
    config = testConfig(database.url, {
      CHANNEL_PLATFORM_URL: platform.url,
      CHANNEL_PLATFORM_SECRET: PLATFORM_SECRET,
      POLICY_FILE: writePolicyFile(policy),
      METRICS_PORT: String(apiPort),
      WORKER_METRICS_PORT: String(workerPort),
      ALERT_WEBHOOKS: JSON.stringify({ 'team-leader': hook }),
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    stack = await startStack(config, { replicas: 1 });
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-7101');
    teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-71');
    connector = await apiAs(stack.apiUrl, Role.ChannelConnector, 'connector-71');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    await new Promise((resolve) => receiver?.close(resolve));
    await platform?.stop();
  });

  const scrape = async (url: string): Promise<{ text: string; samples: Sample[] }> => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    return { text, samples: parsePrometheusText(text) };
  };

  it('serves only GET /metrics on a port apart from the API, which does not serve it', async () => {
    expect((await fetch(apiMetrics.replace('/metrics', '/health'))).status).toBe(404);
    expect((await fetch(apiMetrics, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${stack.apiUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${stack.apiUrl}/api/v1/metrics`)).status).toBe(404);
  });

  it('counts a lifecycle, a breach and its acknowledgement, as the case store holds them', async () => {
    // A whole case: 999 call, assessed, incident, crime decision, dispatched, arrived, note, closed.
    const staff = { handler, supervisor: teamLeader, registrar: await apiAs(stack.apiUrl, Role.CrimeRegistrar, 'reg-71') };
    const lifecycle = await runScenario(demoScenarios[0], staff, 0);
    expect(lifecycle.stage).toBe('closed: attended');
    references.push(lifecycle.reference);
    // A command a closed case refuses (409), and a repeated intake answered as the first.
    const refused = await handler.post(`/contacts/${lifecycle.reference}/notes`, { text: 'Too late' });
    expect(refused.status).toBe(409);
    const body = { channel: Channel.WebForm, channelDetails: { title: 'Report a concern' }, caller: CALLER, narrative: NARRATIVE };
    const first = await handler.post<{ reference: string }>('/contacts', body, { 'Idempotency-Key': 'metrics-web-1' });
    const again = await handler.post<{ reference: string }>('/contacts', body, { 'Idempotency-Key': 'metrics-web-1' });
    expect([first.status, again.status, again.body.reference]).toEqual([201, 201, first.body.reference]);
    references.push(first.body.reference);

    // A direct message opens a case; the handler's reply goes out through the platform adapter.
    const dm = await connector.post<{ reference: string }>('/channels/social-media/messages', { ...DM, sentAt: new Date(Date.now() - 30_000).toISOString() });
    expect(dm.status).toBe(201);
    references.push(dm.body.reference);
    const reply = await handler.post(`/contacts/${dm.body.reference}/messages`, { text: REPLY });
    expect(reply.status).toBe(201);
    await waitUntil(() => (platform.taken.some((message) => message.text === REPLY) ? true : undefined), { timeoutMs: 30_000, what: 'the reply to reach the platform' });

    // Its 2 s clock breaches: the team leader acknowledges the breach.
    const breach = await waitUntil(
      async () => (await teamLeader.get<{ items: AlertView[] }>(`/alerts?state=open&reference=${first.body.reference}`)).body.items.find((alert) => alert.kind === 'breach'),
      { timeoutMs: 30_000, what: 'the breach alert' },
    );
    const acknowledged = await teamLeader.post<AlertView>(`/alerts/${encodeURIComponent(breach.id)}/acknowledgement`, { action: 'contacted-caller' }, { 'Idempotency-Key': 'metrics-ack-1' });
    expect(acknowledged.status).toBe(201);
    const repeated = await teamLeader.post<AlertView>(`/alerts/${encodeURIComponent(breach.id)}/acknowledgement`, { action: 'contacted-caller' }, { 'Idempotency-Key': 'metrics-ack-1' });
    expect(repeated.status).toBe(201);
    await waitUntil(async () => ((await database.query<{ state: string }>(`select delivery_state as state from case_alert where id = $1`, [breach.id]))[0]?.state === 'delivered' ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the breach webhook delivered',
    });

    // The worker's figures settle once every write has been made: compare with the store then.
    const changes = await waitUntil(
      async () => {
        const [{ count }] = await database.query<{ count: number }>('select count(*)::int as count from case_change');
        const { samples } = await scrape(workerMetrics);
        return total(samples, 'pcm_case_store_writes_total', { outcome: 'written' }) === count ? { count, samples } : undefined;
      },
      { timeoutMs: 30_000, what: 'the worker to count every store write' },
    );
    // The team leader's screen holds an alert stream open while the API is scraped.
    const stream = await openAlertStream<AlertView>(stack.apiUrl, await tokenFor(Role.TeamLeader, 'sgt-71'));
    expect(stream.status).toBe(200);
    const api = await waitUntil(
      async () => {
        const { samples } = await scrape(apiMetrics);
        return total(samples, 'pcm_alert_streams_open') === 1 ? samples : undefined;
      },
      { timeoutMs: 10_000, what: 'the open stream counted' },
    );
    stream.close();
    const worker = changes.samples;

    // API: requests by route template, intakes, commands.
    expect(total(api, 'pcm_http_requests_total', { method: 'POST', route: '/api/v1/contacts', status: '201' })).toBe(3);
    expect(total(api, 'pcm_http_requests_total', { method: 'POST', route: '/api/v1/contacts/:reference/notes', status: '409' })).toBe(1);
    expect(total(api, 'pcm_http_request_duration_seconds_count', { route: '/api/v1/contacts', method: 'POST' })).toBe(3);
    expect(total(api, 'pcm_intakes_total', { channel: Channel.EmergencyCall, outcome: 'opened' })).toBe(1);
    expect(total(api, 'pcm_intakes_total', { channel: Channel.WebForm, outcome: 'opened' })).toBe(1);
    expect(total(api, 'pcm_intakes_total', { channel: Channel.WebForm, outcome: 'replayed' })).toBe(1);
    // assessment, incident, crime decision, two attendance events, note, resolution; the direct
    // message joined to its case and the reply; the acknowledgement (and its repeat, answered as the first).
    expect(total(api, 'pcm_case_commands_total', { outcome: 'accepted' })).toBe(7 + 2 + 2);
    expect(total(api, 'pcm_case_commands_total', { command: 'acknowledge-alert', outcome: 'accepted' })).toBe(2);
    expect(total(api, 'pcm_case_commands_total', { command: 'send-message', outcome: 'accepted' })).toBe(1);
    expect(total(api, 'pcm_case_commands_total', { command: 'assess', outcome: 'accepted' })).toBe(1);
    expect(total(api, 'pcm_case_commands_total', { command: 'add-note', outcome: 'conflict' })).toBe(1);
    // Alerts: one breach acknowledged once, its time to acknowledge observed once.
    expect(total(api, 'pcm_alerts_acknowledged_total', { kind: 'breach', role: 'team-leader' })).toBe(1);
    expect(total(api, 'pcm_alert_time_to_acknowledge_seconds_count', { kind: 'breach' })).toBe(1);
    expect(total(api, 'pcm_alert_time_to_acknowledge_seconds_sum', { kind: 'breach' })).toBeGreaterThan(0);
    // Gauges read from the store: the web form is still in triage; the closed case is not open.
    expect(total(api, 'pcm_open_cases', { stage: 'triage' })).toBe(2);
    expect(total(api, 'pcm_open_cases')).toBe(2);
    const [openAlerts] = await database.query<{ count: number }>(`select count(*)::int as count from case_alert where acknowledged_at is null and closed_at is null and kind = 'breach'`);
    expect(total(api, 'pcm_unacknowledged_alerts', { kind: 'breach' })).toBe(openAlerts.count);
    expect(total(api, 'pcm_dependency_up', { dependency: 'database' })).toBe(1);
    expect(total(api, 'pcm_dependency_up', { dependency: 'temporal' })).toBe(1);
    expect(total(api, 'pcm_policy_on_time_target_share')).toBe(policy.targets!.onTimeShare);
    expect(total(api, 'pcm_policy_holidays_until_timestamp_seconds')).toBe(Date.parse(`${[...policy.calendar.holidays].sort().at(-1)}T23:59:59Z`) / 1_000);
    expect(has(api, 'pcm_oldest_ir_case_in_triage_age_seconds')).toBe(true);
    expect(total(api, 'pcm_process_resident_memory_bytes')).toBeGreaterThan(0);

    // Worker: store writes and alerts as the store holds them, the webhook, the clocks.
    const alerts = await database.query<{ kind: string; role: string; count: number }>('select kind, role, count(*)::int as count from case_alert group by kind, role');
    for (const { kind, role, count } of alerts) expect({ kind, role, counted: total(worker, 'pcm_alerts_raised_total', { kind, role }) }).toEqual({ kind, role, counted: count });
    expect(total(worker, 'pcm_alerts_raised_total')).toBe(alerts.reduce((sum, row) => sum + row.count, 0));
    expect(total(worker, 'pcm_alerts_raised_total', { kind: 'breach' })).toBeGreaterThanOrEqual(1);
    // A delivery is counted just after its row says so: compared once both have settled.
    await waitUntil(
      async () => {
        const [{ count }] = await database.query<{ count: number }>(`select count(*)::int as count from case_alert where role = 'team-leader' and delivery_state = 'delivered'`);
        const counted = total((await scrape(workerMetrics)).samples, 'pcm_alert_webhook_deliveries_total', { role: 'team-leader', state: 'delivered' });
        return count >= 1 && counted === count ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the delivered webhooks counted as the store holds them' },
    );
    expect(total(worker, 'pcm_platform_deliveries_total', { kind: 'reply', state: 'delivered' })).toBe(1);
    expect(total(worker, 'pcm_platform_deliveries_total')).toBe(1);
    expect(total(worker, 'pcm_case_store_write_failures_total')).toBe(0);
    expect(total(worker, 'pcm_case_store_writes_given_up_total')).toBe(0);
    expect(total(worker, 'pcm_clocks_breached_total')).toBeGreaterThanOrEqual(1);
    expect(total(worker, 'pcm_clocks_met_total')).toBeGreaterThanOrEqual(1);
    expect(total(worker, 'pcm_process_resident_memory_bytes')).toBeGreaterThan(0);
    // The Temporal SDK's own: workflow task schedule-to-start latency, the sticky cache, activities.
    expect(total(worker, 'temporal_workflow_task_schedule_to_start_latency_seconds_count')).toBeGreaterThan(0);
    expect(has(worker, 'temporal_sticky_cache_hit_total')).toBe(true);
    expect(total(worker, 'temporal_activity_execution_latency_seconds_count')).toBeGreaterThan(0);
  }, 120_000);

  it('exports every metric the alert rules and the dashboard in ops/ read', async () => {
    const declared = new Set([(await scrape(apiMetrics)).text, (await scrape(workerMetrics)).text].flatMap((text) => [...text.matchAll(/^# TYPE (\S+) /gm)].map(([, name]) => name)));
    const ops = ['../../ops/prometheus/alerts.yml', '../../ops/grafana/police-contact-operations.json'].map((file) => readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8')).join('\n');
    const read = new Set([...ops.matchAll(/\b((?:pcm|temporal)_[a-z_]+)/g)].map(([, name]) => name.replace(/_(bucket|count|sum)$/, '')));
    expect(read.size).toBeGreaterThan(15);
    // prom-client declares a counter by its name without `_total`; Temporal's core with it.
    for (const name of read) expect({ name, exported: declared.has(name) || declared.has(name.replace(/_total$/, '')) }).toEqual({ name, exported: true });
  });

  it('puts no reference, name, phone number or words of a contact in any label', async () => {
    const texts = [(await scrape(apiMetrics)).text, (await scrape(workerMetrics)).text];
    const labelValues = texts.flatMap((text) => parsePrometheusText(text).flatMap((sample) => Object.values(sample.labels)));
    expect(labelValues.length).toBeGreaterThan(100);
    const personal = [...references, CALLER.name, ...CALLER.name.split(' '), CALLER.phone, CALLER.phone.replace(/\s/g, ''), ...NARRATIVE.split(' ').filter((word) => word.length > 4), 'Demo caller', 'bleeding', DM.handle, DM.conversationId, DM.messageId, 'frightening', REPLY];
    for (const value of labelValues) for (const word of personal) expect({ value, word, found: value.toLowerCase().includes(word.toLowerCase()) }).toEqual({ value, word, found: false });
  });
});
