import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Channel } from '../../src/domain/channels.js';
import { Role } from '../../src/domain/roles.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface CaseState {
  assignee: string;
  team: string;
  grade: number | null;
  clocks: Array<{ kind: string; state: string }>;
}

/** Claims, reassignment and supervisors' regrades, through the REST API on a real stack. */
describe('assignment and regrading', () => {
  let database: TestDatabase;
  let stack: Stack;
  let taker: ApiClient;
  let claimant: ApiClient;
  let teamLeader: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack(testConfig(database.url));
    taker = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-100');
    claimant = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-200');
    teamLeader = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-7');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  async function open(): Promise<string> {
    const created = await taker.post<{ reference: string }>('/contacts', { channel: Channel.NonEmergencyCall, caller: { name: 'R. Caller' }, narrative: 'Someone is sleeping in my garden shed' });
    expect(created.status).toBe(201);
    return created.body.reference;
  }

  const queue = async (query: string) => (await teamLeader.get<{ items: Array<{ reference: string; assignee: string; team: string }> }>(`/contacts?${query}`)).body.items;

  it('lets a handler claim a case, and only for themself; a team leader assigns it anywhere; the queue finds it', async () => {
    const reference = await open();
    const claimed = await claimant.post<CaseState>(`/contacts/${reference}/assignment`, { assignee: 'pc-200', reason: 'claim' });
    expect(claimed.status).toBe(201);
    expect(claimed.body).toMatchObject({ assignee: 'pc-200', team: 'contact-centre' });
    expect((await queue('assignee=pc-200')).map((item) => item.reference)).toContain(reference);

    expect((await claimant.post(`/contacts/${reference}/assignment`, { assignee: 'pc-300', reason: 'workload' })).status).toBe(403);
    expect((await claimant.post(`/contacts/${reference}/assignment`, { assignee: 'pc-200', team: 'north', reason: 'claim' })).status).toBe(403);

    const moved = await teamLeader.post<CaseState>(`/contacts/${reference}/assignment`, { assignee: 'pc-900', team: 'north', reason: 'workload' });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ assignee: 'pc-900', team: 'north' });
    expect(await queue('assignee=pc-900&team=north')).toEqual([expect.objectContaining({ reference, assignee: 'pc-900', team: 'north' })]);
    expect((await queue('assignee=pc-200')).map((item) => item.reference)).not.toContain(reference);

    const timeline = await database.query<{ type: string; actor_subject: string; details: Record<string, unknown> }>(
      "select type, actor_subject, details from case_event where reference = $1 and type in ('claimed', 'assigned') order by sequence",
      [reference],
    );
    expect(timeline).toEqual([
      { type: 'claimed', actor_subject: 'pc-200', details: expect.objectContaining({ from: 'pc-100', to: 'pc-200', reason: 'claim' }) },
      { type: 'assigned', actor_subject: 'sgt-7', details: expect.objectContaining({ from: 'pc-200', to: 'pc-900', team: 'north', reason: 'workload' }) },
    ]);
  });

  it('gives a case two handlers claim at once, each as the queue showed it, to one of them; the other is told who has it', async () => {
    const reference = await open();
    const rival = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-201');
    const answers = await Promise.all(
      [claimant, rival].map((client, index) => client.post<CaseState & { message?: string }>(`/contacts/${reference}/assignment`, { assignee: ['pc-200', 'pc-201'][index], reason: 'claim', ifAssignee: 'pc-100' })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    const winner = answers.find((answer) => answer.status === 201)!.body.assignee;
    const refused = answers.find((answer) => answer.status === 409)!.body;
    expect(refused.message).toBe(`Case ${reference} is now with ${winner} (contact-centre), no longer with pc-100`);
    const claims = await database.query<{ actor_subject: string }>("select actor_subject from case_event where reference = $1 and type = 'claimed'", [reference]);
    expect(claims).toEqual([{ actor_subject: winner }]);
  });

  it.each([
    [{ assignee: 'pc-200', reason: 'claim', ifAssignee: 'not a subject!' }, 'ifAssignee'],
    [{ assignee: '', reason: 'claim' }, 'assignee'],
    [{ assignee: 'pc-200', reason: 'because' }, 'reason'],
    [{ assignee: 'pc-200', team: 'North Team!', reason: 'workload' }, 'team'],
  ])('answers %j with a 400 naming %s', async (body, field) => {
    const reference = await open();
    const answer = await teamLeader.post<{ fields?: Array<{ field: string }> }>(`/contacts/${reference}/assignment`, body);
    expect(answer.status).toBe(400);
    expect(answer.body.fields?.map((problem) => problem.field)).toContain(field);
  });

  it('lets a supervisor regrade with a reason code, no approval needed, and refuses handlers', async () => {
    const reference = await open();
    expect((await teamLeader.post(`/contacts/${reference}/regrade`, { grade: 2, reason: 'risk-increased' })).status).toBe(409);
    expect((await taker.post(`/contacts/${reference}/assessments`, assessment({}, 3))).status).toBe(201);
    expect((await taker.post(`/contacts/${reference}/regrade`, { grade: 2, reason: 'risk-increased' })).status).toBe(403);
    expect((await teamLeader.post<{ fields?: Array<{ field: string }> }>(`/contacts/${reference}/regrade`, { grade: 2, reason: 'hunch' })).body.fields?.[0].field).toBe('reason');
    const regraded = await teamLeader.post<CaseState>(`/contacts/${reference}/regrade`, { grade: 2, reason: 'risk-increased' });
    expect(regraded.status).toBe(201);
    expect(regraded.body.grade).toBe(2);
    // A grade 2 case has its unresourced clock armed, as any grade change to 2 would.
    expect(regraded.body.clocks.map((clock) => [clock.kind, clock.state])).toContainEqual(['unresourced', 'running']);
    const [entry] = await database.query<{ details: Record<string, unknown> }>("select details from case_event where reference = $1 and type = 'regraded'", [reference]);
    expect(entry.details).toMatchObject({ fromGrade: 3, toGrade: 2, reason: 'risk-increased' });
  });

  it('refuses to assign a closed case (409)', async () => {
    const created = await taker.post<{ reference: string }>('/contacts', { channel: Channel.DirectDial, caller: { name: 'Q. Caller' }, narrative: 'How do I report a lost passport?' });
    const reference = created.body.reference;
    expect((await taker.post(`/contacts/${reference}/assessments`, assessment({}, 4))).status).toBe(201);
    expect((await taker.post(`/contacts/${reference}/incident`, { openingCategory: 'advice', qualifiers: [] })).status).toBe(201);
    expect((await taker.post(`/contacts/${reference}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'advice' })).status).toBe(201);
    const refused = await teamLeader.post<{ code: string }>(`/contacts/${reference}/assignment`, { assignee: 'pc-900', reason: 'workload' });
    expect([refused.status, refused.body.code]).toEqual([409, 'stage_conflict']);
  });
});
