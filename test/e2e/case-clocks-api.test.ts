import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AppConfig } from '../../src/config/app-config.js';
import { Channel } from '../../src/domain/channels.js';
import { type CaseClock } from '../../src/domain/clocks.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { shortClockPolicy, writePolicyFile } from '../support/policies.js';
import { startProcess, startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface CaseView {
  case: { clocks: CaseClock[]; escalationLevel: number };
  timeline: Array<{ type: string; by: { subject: string }; details: Record<string, unknown> }>;
}

/** The clocks through the REST API, on a real stack whose policy has short clocks. */
describe('case clocks through the REST API', () => {
  const policy = shortClockPolicy('test-api-clocks', { digital: 3, repeat: 3_600 });
  let database: TestDatabase;
  let config: AppConfig;
  let stack: Stack;
  let handler: ApiClient;
  let supervisor: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    config = testConfig(database.url, { POLICY_FILE: writePolicyFile(policy) });
    stack = await startStack(config);
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-3301');
    supervisor = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-12');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  const view = async (reference: string) => (await handler.get<CaseView>(`/contacts/${reference}`)).body;

  it('answers an intake with its clocks, breaches it in view of the queue, and takes escalations and pauses', async () => {
    const created = await handler.post<{ reference: string; policyVersion: string; clocks: CaseClock[] }>('/contacts', {
      channel: Channel.WebForm,
      channelDetails: { title: 'Report abuse' },
      caller: { name: 'Sam Example', phone: '+44 7700 900321' },
      narrative: 'My partner hit me last night and threatened me again this morning',
    });
    expect(created.status).toBe(201);
    expect(created.body.policyVersion).toBe('test-api-clocks');
    expect(created.body.clocks).toMatchObject([{ id: 'digital-action-risk-1', state: 'running', label: expect.stringContaining('(3 s)') }]);
    const { reference } = created.body;

    await waitUntil(async () => ((await view(reference)).case.clocks[0]?.state === 'breached' ? true : undefined), { timeoutMs: 20_000, what: 'the clock to breach' });
    const queue = await supervisor.get<{ items: Array<{ reference: string; breached: boolean; escalationLevel: number; nextDueAt: string }> }>('/contacts?breached=true');
    expect(queue.status).toBe(200);
    expect(queue.body.items.find((item) => item.reference === reference)).toMatchObject({ breached: true, escalationLevel: 2, nextDueAt: created.body.clocks[0].dueAt });
    const notBreached = await supervisor.get<{ items: Array<{ reference: string }> }>('/contacts?breached=false');
    expect(notBreached.body.items.map((item) => item.reference)).not.toContain(reference);
    expect((await supervisor.get('/contacts?breached=maybe')).body).toMatchObject({ fields: [{ field: 'breached' }] });

    const escalated = await handler.post<{ escalationLevel: number }>(`/contacts/${reference}/escalations`, { reason: 'risk-increased' });
    expect(escalated.status).toBe(201);
    expect(escalated.body.escalationLevel).toBe(3);

    // Pausing is for supervisors, always with a reason from the list, and only of a clock the case has.
    expect((await handler.post(`/contacts/${reference}/clock-pauses`, { clock: 'digital-action-risk-1', action: 'pause', reason: 'victim-unavailable' })).status).toBe(403);
    const noReason = await supervisor.post(`/contacts/${reference}/clock-pauses`, { clock: 'digital-action-risk-1', action: 'pause' });
    expect([noReason.status, noReason.body]).toMatchObject([400, { fields: [{ field: 'reason' }] }]);
    const badReason = await supervisor.post(`/contacts/${reference}/clock-pauses`, { clock: 'digital-action-risk-1', action: 'pause', reason: 'busy' });
    expect([badReason.status, badReason.body]).toMatchObject([400, { fields: [{ field: 'reason' }] }]);
    const unknown = await supervisor.post(`/contacts/${reference}/clock-pauses`, { clock: 'attendance-1', action: 'pause', reason: 'victim-unavailable' });
    expect([unknown.status, unknown.body]).toMatchObject([422, { fields: [{ field: 'clock' }] }]);

    const paused = await supervisor.post<{ clocks: CaseClock[] }>(`/contacts/${reference}/clock-pauses`, { clock: 'digital-action-risk-1', action: 'pause', reason: 'victim-unavailable' });
    expect(paused.status).toBe(201);
    expect(paused.body.clocks[0]).toMatchObject({ state: 'paused', resumeTo: 'breached', pauses: [{ reason: 'victim-unavailable', by: { subject: 'sgt-12', role: 'team-leader' } }] });
    const resumed = await supervisor.post<{ clocks: CaseClock[] }>(`/contacts/${reference}/clock-pauses`, { clock: 'digital-action-risk-1', action: 'resume' });
    expect(resumed.body.clocks[0]).toMatchObject({ state: 'breached', pausedAt: null });
    expect(resumed.body.clocks[0].pauses[0].pausedMs).toBeGreaterThan(0);

    const seen = await view(reference);
    expect(seen.case.clocks[0]).toMatchObject({ id: 'digital-action-risk-1', state: 'breached', dueAt: created.body.clocks[0].dueAt });
    expect(seen.timeline.filter((entry) => entry.type.startsWith('clock-') || entry.type === 'escalated').map((entry) => [entry.type, entry.by.subject])).toEqual([
      ['clock-armed', 'pc-3301'],
      ['clock-warned', 'system'],
      ['escalated', 'system'],
      ['clock-breached', 'system'],
      ['escalated', 'system'],
      ['escalated', 'pc-3301'],
      ['clock-paused', 'sgt-12'],
      ['clock-resumed', 'sgt-12'],
    ]);
    const notifications = await database.query<{ role: string; reason: string }>('select role, reason from case_alert where reference = $1 order by level', [reference]);
    expect(notifications).toEqual([
      { role: 'contact-handler', reason: 'clock-warning' },
      { role: 'team-leader', reason: 'clock-breach' },
      { role: 'duty-inspector', reason: 'manual:risk-increased' },
    ]);
  });

  it('refuses to start with a policy whose version is recorded with other content', async () => {
    const changed = { ...policy, description: 'the same version, quietly changed' };
    const api = startProcess('main.js', { ...config, database: { ...config.database, migrateOnStart: false }, force: { ...config.force, policyFile: writePolicyFile(changed) } });
    const code = await new Promise<number | null>((resolve) => api.child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(api.output.join('')).toContain('Policy version test-api-clocks is already recorded with different content');
  });
});
