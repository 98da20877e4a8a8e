import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { Channel, SocialMediaPlatform } from '../../src/domain/channels.js';
import { type Outcome } from '../../src/domain/commands/resolve.js';
import { type IncidentCategory } from '../../src/domain/recording.js';
import { type FactorLevel, type Grade } from '../../src/domain/thrive.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { Role } from '../../src/domain/roles.js';
import { contactCaseWorkflowId } from '../../src/workflows/contact-case.messages.js';
import { type ApiClient } from '../../src/cli/api-client.js';
import { apiAs } from '../support/api-client.js';
import { assessment } from '../support/assessments.js';
import { startStack, type Stack } from '../support/stack.js';
import { TEST_NAMESPACE, testTemporalAddress } from '../support/temporal-env.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

interface Plan {
  channel: Channel;
  channelDetails?: Record<string, string>;
  narrative: string;
  grade: Grade;
  levels?: Partial<Record<'threat' | 'harm' | 'risk' | 'vulnerability' | 'safeguarding', FactorLevel>>;
  category: IncidentCategory;
  crime?: 'theft' | 'violence-with-injury' | 'criminal-damage';
  outcome: Outcome;
}

const urgent = { threat: 'high', harm: 'high', risk: 'high' } as const;

/** One case from every channel, between them every outcome. */
const plans: Plan[] = [
  { channel: Channel.EmergencyCall, narrative: 'Two men fighting outside the pub, one is bleeding', grade: 1, levels: urgent, category: 'crime-violence', crime: 'violence-with-injury', outcome: 'attended' },
  { channel: Channel.EmergencyText, narrative: 'Deaf caller: someone is trying to get into my house now', grade: 1, levels: urgent, category: 'concern-for-safety', outcome: 'attended' },
  { channel: Channel.NonEmergencyCall, narrative: 'My car was broken into overnight and the radio taken', grade: 3, category: 'crime-theft', crime: 'theft', outcome: 'appointment' },
  { channel: Channel.DirectDial, narrative: 'Asking how to report a lost passport', grade: 4, category: 'advice', outcome: 'resolved-at-first-contact' },
  { channel: Channel.Sms, narrative: 'Neighbours play loud music every night after midnight', grade: 3, category: 'asb-nuisance', outcome: 'referred' },
  { channel: Channel.Email, narrative: 'I found a wallet in the park', grade: 4, category: 'lost-found-property', outcome: 'signposted' },
  { channel: Channel.InternalCall, channelDetails: { origin: 'Custody suite' }, narrative: 'Message for the night shift about a returned prisoner property', grade: 4, category: 'message-to-pass', outcome: 'no-further-action' },
  { channel: Channel.WeatherPhone, channelDetails: { origin: 'Harbour Road weather phone' }, narrative: 'Car has gone into a ditch, driver out and walking', grade: 2, levels: { risk: 'medium' }, category: 'road-traffic-collision', outcome: 'attended' },
  { channel: Channel.FaceToFace, channelDetails: { station: 'Central' }, narrative: 'My shop window was smashed last night', grade: 3, category: 'crime-criminal-damage', crime: 'criminal-damage', outcome: 'appointment' },
  { channel: Channel.Webchat, narrative: 'How do I get a copy of a collision report?', grade: 4, category: 'advice', outcome: 'signposted' },
  { channel: Channel.SocialMedia, channelDetails: { platform: SocialMediaPlatform.X, handle: '@resident123' }, narrative: 'Youths keep shouting abuse at me in the street', grade: 3, category: 'asb-personal', outcome: 'referred' },
  { channel: Channel.Letter, narrative: 'Writing to tell you a stolen bicycle was returned', grade: 4, category: 'lost-found-property', outcome: 'no-further-action' },
];

describe('contact cases through the REST API, against the real stack', () => {
  let database: TestDatabase;
  let stack: Stack;
  let handler: ApiClient;
  let supervisor: ApiClient;
  let registrar: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    stack = await startStack(testConfig(database.url));
    handler = await apiAs(stack.apiUrl, Role.ContactHandler, 'pc-2101');
    supervisor = await apiAs(stack.apiUrl, Role.TeamLeader, 'sgt-77');
    registrar = await apiAs(stack.apiUrl, Role.CrimeRegistrar, 'cr-5');
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
  });

  async function expectOk(answer: Promise<{ status: number; body: unknown }>, status = 201) {
    const { status: got, body } = await answer;
    expect([got, body]).toEqual([status, expect.anything()]);
    return body as Record<string, unknown>;
  }

  async function takeToClosure(plan: Plan): Promise<string> {
    const created = await expectOk(
      handler.post('/contacts', {
        channel: plan.channel,
        caller: { name: 'A. Caller', phone: '+44 7700 900123' },
        narrative: plan.narrative,
        ...(plan.channelDetails ? { channelDetails: plan.channelDetails } : {}),
      }),
    );
    const reference = created.reference as string;
    expect(created).toMatchObject({ stage: 'triage', workflowId: contactCaseWorkflowId(reference), queuePosition: expect.any(Number) });
    const path = `/contacts/${reference}`;

    await expectOk(handler.post(`${path}/assessments`, assessment(plan.levels ?? {}, plan.grade)));
    await expectOk(handler.post(`${path}/incident`, { openingCategory: plan.category, qualifiers: [] }));
    if (plan.crime) {
      // The NCRS decision must hold together: the case's workflow refuses it otherwise, naming the field.
      for (const [body, field] of [[{ crimeRecorded: true }, 'classification'], [{ crimeRecorded: false }, 'noCrimeReason'], [{ crimeRecorded: false, noCrimeReason: 'civil-matter', classification: plan.crime }, 'classification']] as const) {
        const refused = await registrar.post<{ fields?: Array<{ field: string }> }>(`${path}/crime-decision`, body);
        expect([refused.status, refused.body.fields?.map((problem) => problem.field)]).toEqual([422, [field]]);
      }
      await expectOk(registrar.post(`${path}/crime-decision`, { crimeRecorded: true, classification: plan.crime }));
    }
    await expectOk(handler.post(`${path}/notes`, { text: 'Caller updated by phone.' }));

    const resolution: Record<string, unknown> = { outcome: plan.outcome, closingCategory: plan.category };
    switch (plan.outcome) {
      case 'attended':
        await expectOk(handler.post(`${path}/attendance`, { event: 'dispatched', unit: 'AB12' }));
        await expectOk(handler.post(`${path}/attendance`, { event: 'arrived' }));
        break;
      case 'appointment':
        resolution.appointmentAt = new Date(Date.now() + 86_400_000).toISOString();
        break;
      case 'referred':
        await expectOk(handler.post(`${path}/referrals`, { agency: 'Council ASB team', kind: 'partner', reason: 'Persistent nuisance' }));
        break;
      case 'signposted':
        resolution.signpostedTo = 'Citizens Advice';
        break;
      case 'no-further-action':
        resolution.noFurtherActionReason = 'Information only, nothing to action';
        break;
      case 'resolved-at-first-contact':
        break;
    }
    const closed = await expectOk(handler.post(`${path}/resolution`, resolution));
    expect(closed).toMatchObject({ stage: 'closed', resolution: { outcome: plan.outcome, firstContactResolution: plan.outcome === 'resolved-at-first-contact' } });
    return reference;
  }

  it('takes one case from each channel to closure, covering every outcome', async () => {
    expect(new Set(plans.map((plan) => plan.outcome)).size).toBe(6);
    const references = await Promise.all(plans.map((plan) => takeToClosure(plan)));

    const rows = await database.query<{ reference: string; channel: string; stage: string; outcome: string; first_contact_resolution: boolean }>(
      'select reference, channel, stage, outcome, first_contact_resolution from contact_case where reference = any($1) order by reference',
      [references],
    );
    expect(rows).toHaveLength(plans.length);
    for (const [index, reference] of references.entries()) {
      expect(rows.find((row) => row.reference === reference)).toMatchObject({ channel: plans[index].channel, stage: 'closed', outcome: plans[index].outcome });
    }

    const connection = await Connection.connect({ address: testTemporalAddress() });
    try {
      const client = new Client({ connection, namespace: TEST_NAMESPACE });
      await waitUntil(
        async () => {
          const statuses = await Promise.all(references.map(async (reference) => (await client.workflow.getHandle(contactCaseWorkflowId(reference)).describe()).status.name));
          return statuses.every((status) => status === 'COMPLETED') ? true : undefined;
        },
        { timeoutMs: 20_000, what: 'every case workflow to complete' },
      );
    } finally {
      await connection.close();
    }
  });

  it('re-assesses, holds a downgrade for a supervisor, and refuses first contact resolution until safeguarded', async () => {
    const created = await expectOk(
      handler.post('/contacts', {
        channel: Channel.WebForm,
        channelDetails: { title: 'Report domestic abuse' },
        caller: { name: 'B. Person', email: 'b.person@example.org' },
        narrative: 'My ex-partner hit me last night and keeps threatening me',
      }),
    );
    expect(created).toMatchObject({ riskMarker: 'IR', domesticAbuse: true, queuePosition: 1 });
    const path = `/contacts/${created.reference as string}`;

    const refusedEarly = await handler.post(`${path}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'domestic-incident' });
    expect(refusedEarly.status).toBe(409);
    expect(refusedEarly.body.message).toContain('stage triage');

    const first = await expectOk(handler.post(`${path}/assessments`, assessment({ threat: 'high', harm: 'medium', risk: 'medium', safeguarding: 'high' }, 2)));
    expect(first).toMatchObject({ grade: 2, assessmentCount: 1 });

    const inconsistent = await handler.post(`${path}/assessments`, assessment({ threat: 'high' }, 4));
    expect(inconsistent.status).toBe(422);

    const downgrade = await expectOk(handler.post(`${path}/assessments`, assessment({}, 4)));
    expect(downgrade).toMatchObject({ grade: 2, pendingGrade: 4, assessmentCount: 2 });

    expect((await handler.post(`${path}/downgrade-approvals`, { approve: true, rationale: 'I approve my own downgrade' })).status).toBe(403);
    const approved = await expectOk(supervisor.post(`${path}/downgrade-approvals`, { approve: true, rationale: 'Suspect arrested; risk now low' }));
    expect(approved).toMatchObject({ grade: 4, pendingGrade: null });

    await expectOk(handler.post(`${path}/incident`, { openingCategory: 'domestic-incident', qualifiers: ['domestic'] }));
    const refused = await handler.post(`${path}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'domestic-incident' });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('a safeguarding referral');

    await expectOk(handler.post(`${path}/referrals`, { agency: 'IDVA service', kind: 'safeguarding', reason: 'DASH risk assessment' }));
    const closed = await expectOk(handler.post(`${path}/resolution`, { outcome: 'resolved-at-first-contact', closingCategory: 'domestic-incident' }));
    expect(closed).toMatchObject({ stage: 'closed', resolution: { firstContactResolution: true } });

    const afterClose = await handler.post(`${path}/notes`, { text: 'too late' });
    expect(afterClose.status).toBe(409);
    expect(afterClose.body.message).toMatch(new RegExp(`^Case ${created.reference as string} was closed by pc-2101 at .+Z: a closed case takes no further commands$`));

    const view = await handler.get<{
      case: { reference: string; stage: string; resolution: { firstContactResolution: boolean; closedAt: string }; clocks: Array<{ id: string; state: string; stopReason: string | null }> };
      timeline: Array<{ type: string; by: { subject: string }; at: string; details: Record<string, unknown> }>;
      assessments: unknown[];
      messages: unknown[];
      live: boolean;
    }>(path);
    expect(view.status).toBe(200);
    // The web submission (domestic abuse: its 24 h clock, and its hourly IR risk review) is met by
    // the assessment; the grade's clocks stop when it is downgraded to 4.
    expect(view.body.timeline.map((entry) => [entry.type, entry.details.clock ?? null])).toEqual([
      ['received', null],
      ['clock-armed', 'digital-action-risk-1'],
      ['clock-armed', 'risk-review-ir-1'],
      ['assessed', null],
      ['clock-met', 'digital-action-risk-1'],
      ['clock-met', 'risk-review-ir-1'],
      ['clock-armed', 'unresourced-1'],
      ['clock-armed', 'attendance-1'],
      ['downgrade-proposed', null],
      ['downgrade-approved', null],
      ['clock-stopped', 'unresourced-1'],
      ['clock-stopped', 'attendance-1'],
      ['incident-recorded', null],
      ['referral', null],
      ['closed', null],
    ]);
    expect(view.body.case.clocks.map((clock) => [clock.id, clock.state, clock.stopReason])).toEqual([
      ['digital-action-risk-1', 'met', null],
      ['risk-review-ir-1', 'met', null],
      ['unresourced-1', 'stopped', 'regraded-to-4'],
      ['attendance-1', 'stopped', 'regraded-to-4'],
    ]);
    expect(view.body.timeline.find((entry) => entry.type === 'downgrade-approved')?.by.subject).toBe('sgt-77');
    expect(view.body.case).toMatchObject({ reference: created.reference, stage: 'closed', resolution: { firstContactResolution: true } });
    expect(view.body.case.resolution.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(view.body.assessments).toHaveLength(2);
    expect(typeof view.body.live).toBe('boolean');
    // Each fact once: no second copy of the clocks or the state, and none of the workflow's bookkeeping.
    expect(Object.keys(view.body).sort()).toEqual(['assessments', 'case', 'contact', 'crimeDecisions', 'downgradeDecisions', 'incidents', 'live', 'messages', 'notes', 'referrals', 'timeline']);
    // The downgrade's decision, with its reasons and who proposed it, stays readable on the closed case.
    expect((view.body as unknown as { downgradeDecisions: unknown[] }).downgradeDecisions).toEqual([
      expect.objectContaining({ fromGrade: 2, toGrade: 4, approved: true, rationale: 'Suspect arrested; risk now low', requestedBy: { subject: 'pc-2101', role: 'contact-handler' }, by: expect.objectContaining({ subject: 'sgt-77' }) }),
    ]);
    // A telephone contact is no conversation: its thread is empty.
    expect(view.body.messages).toEqual([]);
    expect(view.body.case).not.toHaveProperty('version');
    expect(view.body.case).not.toHaveProperty('timelineLength');
    expect(closed).not.toHaveProperty('version');
    expect(closed).not.toHaveProperty('timelineLength');
  });

  it('takes a risk review of a waiting web submission: who and why recorded, the next due; refused once assessed', async () => {
    const created = await expectOk(
      handler.post('/contacts', { channel: Channel.WebForm, channelDetails: { title: 'Lost phone' }, caller: { name: 'A. Caller' }, narrative: 'I lost my phone on the bus' }),
    );
    const path = `/contacts/${created.reference as string}`;
    expect(created.clocks).toMatchObject([{ id: 'digital-action-1' }, { id: 'risk-review-1', state: 'running' }]);
    const badReason = await handler.post<{ fields: Array<{ field: string }> }>(`${path}/risk-reviews`, { reason: 'looked-fine' });
    expect([badReason.status, badReason.body.fields.map((problem) => problem.field)]).toEqual([400, ['reason']]);

    const reviewed = await expectOk(handler.post(`${path}/risk-reviews`, { reason: 'no-risk-indicators' }));
    const clocks = reviewed.clocks as Array<{ id: string; state: string; metAt: string | null; dueAt: string }>;
    const met = clocks.find((clock) => clock.id === 'risk-review-1')!;
    const next = clocks.find((clock) => clock.id === 'risk-review-2')!;
    expect([met.state, next.state]).toEqual(['met', 'running']);
    expect(Date.parse(next.dueAt) - Date.parse(met.metAt!)).toBe(4 * 3_600_000);
    const view = await handler.get<{ timeline: Array<{ type: string; by: { subject: string; role: string }; details: Record<string, unknown> }> }>(path);
    expect(view.body.timeline.find((entry) => entry.type === 'risk-reviewed')).toMatchObject({ by: { subject: 'pc-2101', role: 'contact-handler' }, details: { reason: 'no-risk-indicators' } });

    await expectOk(handler.post(`${path}/assessments`, assessment({}, 4)));
    const refused = await handler.post(`${path}/risk-reviews`, { reason: 'no-risk-indicators' });
    expect(refused.status).toBe(409);
  });

  it('answers 404 for a case that does not exist', async () => {
    expect((await handler.get('/contacts/XP-20200101-999999')).status).toBe(404);
    expect((await handler.post('/contacts/XP-20200101-999999/notes', { text: 'hello' })).status).toBe(404);
  });

  it('lists open cases in queue order: IR and grade 1 first, with filters and pages', async () => {
    const open = async (channel: Channel, narrative: string, extra: Record<string, unknown> = {}) =>
      (await expectOk(handler.post('/contacts', { channel, caller: { anonymous: true }, narrative, ...extra }))).reference as string;
    const routine = await open(Channel.NonEmergencyCall, 'Lost dog in the park');
    const ir = await open(Channel.Email, 'He has a knife and said he would use it');
    const gradeOne = await open(Channel.EmergencyCall, 'Burglary in progress');
    await waitUntil(async () => ((await database.query('select 1 from contact_case where reference = $1', [gradeOne])).length ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the case record',
    });
    await expectOk(handler.post(`/contacts/${gradeOne}/assessments`, assessment(urgent, 1)));

    const queue = await handler.get<{ items: Array<{ reference: string }>; total: number }>('/contacts?limit=200');
    const order = queue.body.items.map((item) => item.reference);
    expect(order.indexOf(ir)).toBeLessThan(order.indexOf(routine));
    expect(order.indexOf(gradeOne)).toBeLessThan(order.indexOf(routine));

    const onlyIr = await handler.get<{ items: Array<{ riskMarker: string }> }>('/contacts?riskMarker=IR');
    expect(onlyIr.body.items.length).toBeGreaterThan(0);
    expect(onlyIr.body.items.every((item) => item.riskMarker === 'IR')).toBe(true);
    const graded = await handler.get<{ items: Array<{ reference: string }> }>('/contacts?grade=1&stage=recording');
    expect(graded.body.items.map((item) => item.reference)).toEqual([gradeOne]);
    const page = await handler.get<{ items: unknown[]; limit: number; total: number }>('/contacts?limit=1&offset=1');
    expect(page.body).toMatchObject({ limit: 1 });
    expect(page.body.items).toHaveLength(1);
  });
});
