import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type AppConfig, configToEnvironment } from '../../src/config/app-config.js';
import { DRILL_TEAM } from '../../src/domain/continuity-drill.js';
import { findFreePort, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { TemporalClientService } from '../../src/modules/platform/temporal/temporal-client.module.js';
import { continuityDrillScheduleId } from '../../src/workflows/continuity-drill.messages.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { satisfactionSurveyWorkflowId } from '../../src/workflows/satisfaction-survey.messages.js';
import { apiAs } from '../support/api-client.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Drill {
  drillId: string;
  trigger: string;
  outcome: string;
  requestedBy: string;
  alarms: { expected: number; onTime: number; late: number };
  alerts: { expected: number; delivered: number };
  maxLatenessMs: number | null;
  workerRestart: { workerIdentity: string; downMs: number };
  lateAlarms: Array<{ reference: string; alarm: string; firedAt: string | null; lateMs: number | null }>;
  problems: string[];
  references: string[];
}

const cluster = process.env.TEST_TEMPORAL === 'cluster';

/** `npm run drill` as an operator runs it: the built CLI, on the system's configuration. */
function runDrillCli(config: AppConfig, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../dist/cli/drill.js', import.meta.url)), ...args], { env: { ...process.env, ...configToEnvironment(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

/**
 * Continuity drills on the running system: synthetic cases with 10 s clocks, a worker restarted,
 * every clock and alert checked and the result recorded; run by `npm run drill`, by the API and by
 * the Temporal Schedule; and a drill whose worker is kept down past its clocks fails, naming them.
 */
describe('continuity drills', () => {
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let receiver: Server;
  const delivered = new Map<string, number>();

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    // The pager the alerts go to: every delivery counted by its idempotency key (the alert's id).
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const key = String(request.headers['idempotency-key']);
        delivered.set(key, (delivered.get(key) ?? 0) + 1);
        response.writeHead(204).end();
      });
    }).listen(port, '127.0.0.1');
    const url = `http://127.0.0.1:${port}/hooks/alerts`;
    config = testConfig(database.url, {
      ALERT_WEBHOOKS: JSON.stringify({ 'contact-handler': url, 'team-leader': url, 'duty-inspector': url }),
      ALERT_WEBHOOK_SECRET: 'a-webhook-secret-of-at-least-32-characters',
      DRILL_SCHEDULE: '0 4 * * 1',
      DRILL_CASES: '2',
      DRILL_CLOCK_SECONDS: '10',
      DRILL_WORKER_DOWN_SECONDS: '2',
      DRILL_TOLERANCE_SECONDS: '5',
    });
    stack = await startStack(config);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    await database?.drop();
  });

  it('npm run drill records a passing drill, which auditors, administrators and the MI see, and no queue does', async () => {
    const started = Date.now();
    const run = await runDrillCli(config, []);
    const tookMs = Date.now() - started;
    expect(run.output).toContain('PASSED');
    expect(run.code).toBe(0);

    const auditor = await apiAs(stack.apiUrl, Role.Auditor, 'auditor-1');
    const list = await auditor.get<{ schedule: string; items: Drill[] }>('/drills');
    expect(list.status).toBe(200);
    expect(list.body.schedule).toBe('0 4 * * 1');
    expect(list.body.items).toHaveLength(1);
    const [drill] = list.body.items;
    expect(drill).toMatchObject({ trigger: 'manual', outcome: 'passed', alarms: { expected: 4, onTime: 4, late: 0 }, problems: [], lateAlarms: [] });
    expect(drill.requestedBy).toMatch(/^cli:/);
    expect(drill.workerRestart.downMs).toBe(2_000);
    expect(drill.maxLatenessMs).toBeLessThanOrEqual(5_000);
    // Each case's warning went to the handler and its breach to the team leader: at least one alert each, every one delivered once.
    expect(drill.alerts.expected).toBeGreaterThanOrEqual(4);
    expect(drill.alerts.delivered).toBe(drill.alerts.expected);
    const alertRows = await database.query<{ id: string; team: string; delivery_state: string }>('select id, team, delivery_state from case_alert');
    expect(alertRows).toHaveLength(drill.alerts.expected);
    for (const alert of alertRows) {
      expect(alert).toMatchObject({ team: DRILL_TEAM, delivery_state: 'delivered' });
      expect(delivered.get(alert.id)).toBe(1);
    }
    // One row, and the cases closed after the drill so that they raise nothing more.
    const [row] = await database.query<{ outcome: string; alarms_on_time: number }>('select outcome, alarms_on_time from continuity_drill');
    expect(row).toEqual({ outcome: 'passed', alarms_on_time: 4 });
    const cases = await database.query<{ reference: string; team: string; stage: string }>('select reference, team, stage from contact_case order by reference');
    expect(cases.map((item) => item.reference)).toEqual([...drill.references].sort());
    expect(cases.every((item) => item.team === DRILL_TEAM && item.stage === 'closed')).toBe(true);
    // Synthetic cases have no caller to ask how it went: once each case's workflow has completed, no survey was started.
    const temporal = new TemporalClientService(config);
    try {
      for (const { reference } of cases) {
        await waitUntil(async () => ((await temporal.client.workflow.getHandle(contactCaseWorkflowId(reference)).describe()).status.name === 'COMPLETED' ? true : undefined), {
          timeoutMs: 15_000,
          what: `${reference}'s workflow to complete`,
        });
        await expect(temporal.client.workflow.getHandle(satisfactionSurveyWorkflowId(reference)).describe()).rejects.toThrow(/not found/i);
      }
    } finally {
      await temporal.onApplicationShutdown();
    }
    expect(await database.query('select 1 from satisfaction_survey')).toHaveLength(0);
    // Each clock warned once and breached once.
    const fired = await database.query<{ type: string; n: number }>("select type, count(*)::int as n from case_event where type in ('clock-warned', 'clock-breached') group by type order by type");
    expect(fired).toEqual([{ type: 'clock-breached', n: 2 }, { type: 'clock-warned', n: 2 }]);

    const administrator = await apiAs(stack.apiUrl, Role.Administrator, 'admin-1');
    const one = await administrator.get<Drill>(`/drills/${drill.drillId}`);
    expect(one.status).toBe(200);
    expect(one.body.references).toEqual(drill.references);
    const handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-drill');
    const refused = await handler.get<{ message: string }>('/drills');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('drill:read');
    expect((await administrator.get('/drills/not-a-uuid')).status).toBe(400);

    // Drill cases are in no one's queue, alert list or MI demand, unless the drill team is asked for.
    const leader = await apiAs(stack.apiUrl, Role.TeamLeader, 'tl-drill');
    const opened = await leader.post<{ reference: string }>('/contacts', { channel: 'web-form', channelDetails: { title: 'Lost wallet' }, caller: { name: 'A. Member' }, narrative: 'I lost my wallet in the park' });
    expect(opened.status).toBe(201);
    // The case is written by its workflow a moment after the intake answers.
    const queue = await waitUntil(async () => {
      const answer = await leader.get<{ items: Array<{ reference: string }> }>('/contacts');
      return answer.body.items.length > 0 ? answer.body.items : undefined;
    }, { timeoutMs: 15_000, what: 'the new case in the queue' });
    expect(queue.map((item) => item.reference)).toEqual([opened.body.reference]);
    const alerts = await leader.get<{ total: number }>('/alerts');
    expect(alerts.body.total).toBe(0);
    const drillAlerts = await leader.get<{ total: number }>(`/alerts?team=${DRILL_TEAM}`);
    expect(drillAlerts.body.total).toBeGreaterThan(0);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const mi = await leader.get<{ total: { measures: { demand: { contacts: number } } }; continuityDrills: { schedule: string; latest: Array<{ outcome: string; alarmsOnTime: number }> } }>(`/mi/measures?from=${today}&to=${tomorrow}&groupBy=day`);
    expect(mi.status).toBe(200);
    expect(mi.body.total.measures.demand.contacts).toBe(1);
    expect(mi.body.continuityDrills.latest).toEqual([expect.objectContaining({ outcome: 'passed', alarmsOnTime: 4 })]);
    const drillTeamMi = await leader.get<{ total: { measures: { demand: { contacts: number } } } }>(`/mi/measures?from=${today}&to=${tomorrow}&groupBy=day&team=${DRILL_TEAM}`);
    expect(drillTeamMi.body.total.measures.demand.contacts).toBe(2);
    process.stdout.write(`[continuity-drill] npm run drill: passed in ${tookMs} ms; latest alarm ${drill.maxLatenessMs} ms after its time; ${drill.alerts.delivered}/${drill.alerts.expected} alerts delivered\n`);
  }, 120_000);

  it('the schedule the worker keeps runs the drill too', async () => {
    const temporal = new TemporalClientService(config);
    try {
      const handle = temporal.client.schedule.getHandle(continuityDrillScheduleId(config.temporal.taskQueue));
      const described = await waitUntil(() => handle.describe(), { timeoutMs: 30_000, what: 'the drill schedule' });
      expect(described.spec.timezone).toBe('Europe/London');
      expect(described.action.type).toBe('startWorkflow');
      await handle.trigger();
      const [row] = await waitUntil(
        async () => {
          const rows = await database.query<{ outcome: string; requested_by_subject: string }>("select outcome, requested_by_subject from continuity_drill where trigger = 'schedule'");
          return rows.length > 0 ? rows : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 1_000, what: 'the scheduled drill recorded' },
      );
      expect(row).toEqual({ outcome: 'passed', requested_by_subject: 'continuity-drill-schedule' });
      // The drill closes its cases after recording its verdict.
      await waitUntil(
        async () => ((await database.query('select 1 from contact_case where team = $1 and closed_at is null', [DRILL_TEAM])).length === 0 ? true : undefined),
        { timeoutMs: 30_000, what: "the scheduled drill's cases closed" },
      );
    } finally {
      await temporal.onApplicationShutdown();
    }
  }, 120_000);

  it(cluster ? 'a worker kept down past the clocks: the second worker fires them on time' : 'a worker kept down past the clocks: the drill fails, naming the late clocks', async () => {
    const administrator = await apiAs(stack.apiUrl, Role.Administrator, 'admin-1');
    const bad = await administrator.post<{ fields: Array<{ field: string }> }>('/drills', { workerDownSeconds: 99_999 });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((problem) => problem.field)).toContain('workerDownSeconds');
    const earlier = (await database.query<{ reference: string }>('select reference from contact_case')).map((row) => row.reference);
    const started = await administrator.post<{ workflowId: string }>('/drills', { workerDownSeconds: 20 });
    expect(started.status).toBe(202);
    // While the drill runs its cases are open, yet in the queue only when their team is asked for.
    const open = await waitUntil(async () => {
      const rows = await database.query<{ reference: string }>('select reference from contact_case where closed_at is null and team = $1 and reference <> all($2::varchar[]) order by reference', [DRILL_TEAM, earlier]);
      return rows.length === 2 ? rows.map((row) => row.reference) : undefined;
    }, { timeoutMs: 15_000, what: 'the drill cases open' });
    const leader = await apiAs(stack.apiUrl, Role.TeamLeader, 'tl-drill');
    const queue = await leader.get<{ items: Array<{ reference: string }> }>('/contacts?limit=200');
    expect(queue.body.items.some((item) => open.includes(item.reference))).toBe(false);
    expect(queue.body.items.length).toBeGreaterThan(0);
    const drillQueue = await leader.get<{ items: Array<{ reference: string }> }>(`/contacts?team=${DRILL_TEAM}`);
    expect(drillQueue.body.items.map((item) => item.reference).sort()).toEqual(open);
    const drill = await waitUntil(
      async () => {
        const rows = await database.query<{ id: string }>('select id from continuity_drill where workflow_id = $1', [started.body.workflowId]);
        return rows.length > 0 ? (await administrator.get<Drill>(`/drills/${rows[0].id}`)).body : undefined;
      },
      { timeoutMs: 100_000, intervalMs: 1_000, what: 'the drill recorded' },
    );
    expect(drill.workerRestart.downMs).toBe(20_000);
    if (cluster) {
      // The other worker carried the cases while this one was down: every clock on time.
      expect(drill).toMatchObject({ outcome: 'passed', alarms: { expected: 4, onTime: 4 } });
      process.stdout.write(`[continuity-drill] one of two workers down 20 s past 10 s clocks: passed; latest alarm ${drill.maxLatenessMs} ms after its time\n`);
      return;
    }
    expect(drill.outcome).toBe('failed');
    // Each case's breach fired when the worker came back (over 5 s late); its warning, superseded by then, never did.
    const breaches = drill.lateAlarms.filter((alarm) => alarm.alarm === 'due');
    expect(breaches).toHaveLength(2);
    for (const breach of breaches) expect(breach.lateMs).toBeGreaterThan(5_000);
    expect(drill.lateAlarms.filter((alarm) => alarm.alarm === 'warning' && alarm.firedAt === null)).toHaveLength(2);
    expect(new Set(drill.lateAlarms.map((alarm) => alarm.reference))).toEqual(new Set(drill.references));
    for (const reference of drill.references) expect(drill.problems.some((problem) => problem.startsWith(reference) && /fired [0-9.]+ s late/.test(problem))).toBe(true);
    const mi = await administrator.get<{ continuityDrills: { latest: Array<{ outcome: string }> } }>(`/mi/measures?from=${new Date().toISOString().slice(0, 10)}&to=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}&groupBy=day`);
    expect(mi.body.continuityDrills.latest[0].outcome).toBe('failed');
    process.stdout.write(`[continuity-drill] worker down 20 s past 10 s clocks: failed; breaches ${breaches.map((breach) => breach.lateMs).join(', ')} ms late\n`);
  }, 150_000);
});
