import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client } from '@temporalio/client';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { type ActorRef } from '../../src/domain/actor.js';
import { Channel } from '../../src/domain/channels.js';
import { type CaseClock } from '../../src/domain/clocks.js';
import { type CaseCommand, type ContactCaseState } from '../../src/domain/contact-case.js';
import { type ContactPolicy } from '../../src/domain/policy.js';
import { RiskFlag, screenContact } from '../../src/domain/risk-screening.js';
import { caseStartOptions } from '../../src/modules/contact-cases/contact-cases.service.js';
import { type ContactIntake } from '../../src/domain/case-records.js';
import { caseStateQuery, commandUpdates, contactCaseWorkflowId, contactCaseWorkflowType } from '../../src/workflows/contact-case.messages.js';
import { waitUntil } from '../../src/modules/platform/process/child-process.js';
import { assessment } from '../support/assessments.js';
import { defaultPolicy, policyWith, policyWithout } from '../support/policies.js';
import { startTimeSkippingServer } from '../support/time-skipping.js';
import { startWorkerHarness, type WorkerHarness } from '../support/worker-harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const handler: ActorRef = { subject: 'pc-1', role: 'contact-handler' };
const supervisor: ActorRef = { subject: 'sgt-2', role: 'team-leader' };
/**
 * The shipped policy without the regular risk review, for the tests of the other clocks: a review
 * due every few hours would escalate a waiting submission long before the clocks they watch.
 */
const otherClocks = policyWithout(`${defaultPolicy().version}-no-review`, ['risk-review', 'risk-review-ir']);

/**
 * The clocks at the policy's real lengths (24 h, 48 h, 5 working days), on Temporal's time-skipping
 * test server: the real workflow code, a real worker and real activities writing to a real
 * database, with the server's clock moved on by the test.
 */
describe('case clocks at real durations (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let harness: WorkerHarness;
  let client: Client;
  let sequence = 0;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    harness = await startWorkerHarness({ TEMPORAL_ADDRESS: env.address, TEMPORAL_NAMESPACE: 'default' });
    client = env.client;
  });

  afterAll(async () => {
    await harness?.stop();
    await env?.teardown();
  });

  // Each test's cases end with it: their clocks would otherwise keep firing while later tests skip
  // days. A case answers a command before its store write is done; the write is let finish first,
  // since the time-skipping server stops skipping time for good when a running activity's case is
  // terminated under it.
  const started: string[] = [];
  afterEach(async () => {
    await Promise.all(
      started.splice(0).map(async (id) => {
        const handle = client.workflow.getHandle(id);
        await waitUntil(async () => ((await handle.describe()).raw.pendingActivities?.length ? undefined : true), { timeoutMs: 15_000, what: `${id}'s store writes` });
        await handle.terminate('test finished').catch(() => undefined);
      }),
    );
  });

  const now = async () => env.currentTimeMs();

  async function openCase(options: { channel?: Channel; flags?: RiskFlag[]; narrative?: string; policy?: ContactPolicy; conversation?: ContactIntake['conversation'] } = {}): Promise<{ reference: string; receivedAt: number }> {
    sequence += 1;
    const channel = options.channel ?? Channel.WebForm;
    const flags = options.flags ?? [];
    const narrative = options.narrative ?? 'Report made online';
    const receivedAt = await now();
    const intake: ContactIntake = {
      reference: `${harness.config.force.code}-20261123-${String(sequence).padStart(6, '0')}`,
      channel,
      receivedAt: new Date(receivedAt).toISOString(),
      policy: options.policy ?? otherClocks,
      team: 'contact-centre',
      area: 'urban',
      actor: handler,
      flags,
      screening: screenContact({ channel, flags, narrative }, options.policy ?? otherClocks),
      details: { caller: { name: 'Alex Example', phone: '+44 7700 900123' }, narrative },
      ...(options.conversation ? { conversation: options.conversation } : {}),
    };
    await client.workflow.start(contactCaseWorkflowType, caseStartOptions(intake, harness.config.temporal.taskQueue));
    started.push(contactCaseWorkflowId(intake.reference));
    return { reference: intake.reference, receivedAt };
  }

  const stateOf = (reference: string) => client.workflow.getHandle(contactCaseWorkflowId(reference)).query(caseStateQuery);

  /** Waits (in real time) for the worker to finish what the last skip of time set off. */
  async function settled(reference: string, check: (state: ContactCaseState) => boolean): Promise<ContactCaseState> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const state = await stateOf(reference);
      if (check(state)) return state;
      if (Date.now() > deadline) throw new Error(`case ${reference} did not settle: ${JSON.stringify(state.clocks)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  let commandSequence = 0;
  const send = (reference: string, command: CaseCommand, actor: ActorRef = handler) => {
    commandSequence += 1;
    const update = commandUpdates[command.type] as typeof commandUpdates.assess;
    return client.workflow.getHandle(contactCaseWorkflowId(reference)).executeUpdate(update, {
      args: [{ commandId: `${reference}/c${commandSequence}`, actor, command: command as Extract<CaseCommand, { type: 'assess' }> }],
    });
  };

  /** Moves the server's clock to `offsetMs` after `fromMs`. */
  async function skipTo(fromMs: number, offsetMs: number): Promise<void> {
    const remaining = fromMs + offsetMs - (await now());
    if (remaining > 0) await env.sleep(remaining);
  }

  const notifications = (reference: string) =>
    harness.database.query<{ role: string; level: number; reason: string; raised_for: Date | string }>(
      'select role, level, reason, raised_for from case_alert where reference = $1 order by raised_for, level',
      [reference],
    );
  const clock = (state: ContactCaseState, id: string): CaseClock => state.clocks.find((candidate) => candidate.id === id)!;

  it('breaches a domestic abuse web submission at 24 h and escalates twice more, each to the next role', async () => {
    const { reference, receivedAt } = await openCase({ flags: [RiskFlag.DomesticAbuse], narrative: 'My ex-partner keeps threatening me' });
    const opened = await settled(reference, (state) => state.version === 1);
    expect(clock(opened, 'digital-action-risk-1')).toMatchObject({ state: 'running', dueAt: new Date(receivedAt + 24 * HOUR).toISOString() });

    await skipTo(receivedAt, 18 * HOUR + MINUTE);
    const warned = await settled(reference, (state) => state.escalationLevel === 1);
    expect(clock(warned, 'digital-action-risk-1').state).toBe('warned');

    await skipTo(receivedAt, 24 * HOUR + MINUTE);
    const breached = await settled(reference, (state) => state.escalationLevel === 2);
    expect(clock(breached, 'digital-action-risk-1')).toMatchObject({ state: 'breached', dueAt: new Date(receivedAt + 24 * HOUR).toISOString() });

    // Nobody acts: the policy's 2 h repeat escalates again, to the top of the chain.
    await skipTo(receivedAt, 26 * HOUR + MINUTE);
    const again = await settled(reference, (state) => state.escalationLevel === 3);
    expect(clock(again, 'digital-action-risk-1').escalations).toBe(3);

    const rows = await notifications(reference);
    expect(rows.map((row) => [row.reason, row.role, row.level, new Date(row.raised_for).getTime() - receivedAt])).toEqual([
      ['clock-warning', 'contact-handler', 1, 18 * HOUR],
      ['clock-breach', 'team-leader', 2, 24 * HOUR],
      ['clock-re-escalation', 'duty-inspector', 3, 26 * HOUR],
    ]);
    const [{ count }] = await harness.database.query<{ count: string }>("select count(*)::text as count from case_event where reference = $1 and type = 'clock-breached'", [reference]);
    expect(count).toBe('1');
  });

  it('warns and breaches an unanswered direct message at its first-response clock, and the late reply stops the escalation', async () => {
    const conversation = { platform: 'x', externalId: `dm-${sequence + 1}`, key: 'a'.repeat(63) + String((sequence + 1) % 10), generation: 1 };
    const { reference } = await openCase({ channel: Channel.SocialMedia, narrative: 'Someone is trying car doors', conversation });
    await settled(reference, (state) => state.version === 1);
    const sentAt = await now();
    const received = await send(reference, { type: 'receive-message', message: { platform: 'x', externalId: 'm-1', handle: '@someone', text: 'Someone is trying car doors', sentAt: new Date(sentAt).toISOString() } }, { subject: 'connector-x', role: 'channel-connector' });
    expect(clock(received, 'first-response-1')).toMatchObject({ state: 'running', dueAt: new Date(sentAt + HOUR).toISOString() });

    await skipTo(sentAt, 45 * MINUTE + MINUTE);
    expect(clock(await settled(reference, (state) => clock(state, 'first-response-1').state === 'warned'), 'first-response-1').warnedAt).not.toBeNull();
    await skipTo(sentAt, HOUR + MINUTE);
    await settled(reference, (state) => clock(state, 'first-response-1').state === 'breached');

    const replied = await send(reference, { type: 'send-message', text: 'Sorry for the wait: officers are on their way' });
    expect(clock(replied, 'first-response-1')).toMatchObject({ state: 'met' });
    expect(replied.conversation).toMatchObject({ messagesIn: 1, messagesOut: 1, awaitingReplySince: null });
    // Answered: the breach does not escalate again at the policy's 30 min repeat.
    await skipTo(sentAt, 3 * HOUR);
    const firstResponse = await harness.database.query<{ reason: string; role: string }>("select reason, role from case_alert where reference = $1 and clock = 'first-response-1' order by raised_for", [reference]);
    expect(firstResponse).toEqual([
      { reason: 'clock-warning', role: 'contact-handler' },
      { reason: 'clock-breach', role: 'team-leader' },
    ]);
    const [met] = await harness.database.query<{ details: Record<string, unknown> }>("select details from case_event where reference = $1 and type = 'clock-met'", [reference]);
    expect(met.details).toMatchObject({ clock: 'first-response-1', late: true });
    const [thread] = await harness.database.query<{ unanswered: number; awaiting_since: Date | null }>('select unanswered, awaiting_since from conversation where reference = $1', [reference]);
    expect(thread).toEqual({ unanswered: 0, awaiting_since: null });
  });

  it('does not breach a 48 h web submission actioned a minute before its deadline', async () => {
    const { reference, receivedAt } = await openCase();
    await settled(reference, (state) => state.version === 1);
    await skipTo(receivedAt, 48 * HOUR - MINUTE);
    await settled(reference, (state) => state.escalationLevel === 1); // warned at 36 h
    const assessed = await send(reference, { type: 'assess', assessment: assessment({}, 4) });
    expect(clock(assessed, 'digital-action-1')).toMatchObject({ state: 'met', breachedAt: null });

    await skipTo(receivedAt, 60 * HOUR);
    const later = await stateOf(reference);
    expect(clock(later, 'digital-action-1')).toMatchObject({ state: 'met', breachedAt: null });
    expect(later.escalationLevel).toBe(1);
    expect((await notifications(reference)).map((row) => row.reason)).toEqual(['clock-warning']);
  });

  it('moves a paused clock’s due time by exactly the paused span, and breaches only then', async () => {
    const { reference } = await openCase({ channel: Channel.NonEmergencyCall, narrative: 'Fence damaged by a neighbour' });
    await settled(reference, (state) => state.version === 1);
    const graded = await send(reference, { type: 'assess', assessment: assessment({}, 3) });
    const armed = clock(graded, 'attendance-1');
    const gradedAt = Date.parse(armed.startedAt);
    expect(Date.parse(armed.dueAt) - gradedAt).toBe(48 * HOUR);

    await skipTo(gradedAt, 10 * HOUR);
    await send(reference, { type: 'pause-clock', clock: 'attendance-1', reason: 'victim-unavailable' }, supervisor);
    await skipTo(gradedAt, 16 * HOUR);
    const resumed = clock(await send(reference, { type: 'resume-clock', clock: 'attendance-1' }, supervisor), 'attendance-1');
    const [pause] = resumed.pauses;
    expect(pause).toMatchObject({ reason: 'victim-unavailable', by: supervisor, resumedBy: supervisor });
    // Paused at 10 h and resumed at 16 h of server time (the updates themselves take a moment).
    expect(Math.abs(pause.pausedMs! - 6 * HOUR)).toBeLessThan(5_000);
    expect(Date.parse(resumed.dueAt) - Date.parse(armed.dueAt)).toBe(pause.pausedMs);
    expect(Date.parse(resumed.warnAt) - Date.parse(armed.warnAt)).toBe(pause.pausedMs);

    // Past the old due time: still counting. Past the new one: breached, at the new due time.
    await skipTo(gradedAt, 48 * HOUR + MINUTE);
    expect(clock(await stateOf(reference), 'attendance-1').state).toBe('warned');
    await skipTo(Date.parse(resumed.dueAt), MINUTE);
    const breached = await settled(reference, (state) => clock(state, 'attendance-1').state === 'breached');
    expect(clock(breached, 'attendance-1').dueAt).toBe(resumed.dueAt);
    const timeline = await harness.database.query<{ type: string; details: Record<string, unknown> }>(
      "select type, details from case_event where reference = $1 and type in ('clock-paused', 'clock-resumed') order by sequence",
      [reference],
    );
    expect(timeline).toEqual([
      { type: 'clock-paused', details: { clock: 'attendance-1', clockKind: 'attendance', reason: 'victim-unavailable' } },
      { type: 'clock-resumed', details: { clock: 'attendance-1', clockKind: 'attendance', reason: 'victim-unavailable', pausedMs: pause.pausedMs, dueAt: resumed.dueAt } },
    ]);
  });

  it('re-baselines the graded clocks on a regrade, recording the old and new due times', async () => {
    const { reference } = await openCase({ channel: Channel.EmergencyCall, narrative: 'Someone is trying doors on our street' });
    await settled(reference, (state) => state.version === 1);
    const grade2 = await send(reference, { type: 'assess', assessment: assessment({ threat: 'medium' }, 2) });
    const gradedAt = Date.parse(clock(grade2, 'attendance-1').startedAt);
    expect(Date.parse(clock(grade2, 'unresourced-1').dueAt) - gradedAt).toBe(40 * MINUTE);
    expect(Date.parse(clock(grade2, 'attendance-1').dueAt) - gradedAt).toBe(60 * MINUTE);

    await skipTo(gradedAt, 10 * MINUTE);
    const grade1 = await send(reference, { type: 'assess', assessment: assessment({ threat: 'high', harm: 'high', risk: 'high' }, 1) });
    const regradedAt = Date.parse(clock(grade1, 'attendance-1').rebaselines[0].at);
    expect(clock(grade1, 'attendance-1')).toMatchObject({
      grade: 1,
      label: 'grade 1 attendance (15 min)',
      dueAt: new Date(regradedAt + 15 * MINUTE).toISOString(),
      rebaselines: [{ fromDueAt: clock(grade2, 'attendance-1').dueAt, toDueAt: new Date(regradedAt + 15 * MINUTE).toISOString(), fromGrade: 2, toGrade: 1 }],
    });
    // Grade 1 with no unit dispatched goes to the duty inspector at once.
    const escalated = await settled(reference, (state) => clock(state, 'unresourced-1').state === 'breached');
    expect(escalated.escalationLevel).toBe(3);
    expect(clock(escalated, 'unresourced-1').rebaselines[0]).toMatchObject({ fromDueAt: clock(grade2, 'unresourced-1').dueAt, toDueAt: new Date(regradedAt).toISOString() });
    expect((await notifications(reference)).map((row) => [row.reason, row.role])).toEqual([['clock-breach', 'duty-inspector']]);

    const dispatched = await send(reference, { type: 'record-attendance', event: 'dispatched', unit: 'Alpha-1' });
    expect(clock(dispatched, 'unresourced-1')).toMatchObject({ state: 'met' });
  });

  it('runs the Victims’ Code update over 5 working days and the crime recording clock from the report', async () => {
    const { reference, receivedAt } = await openCase({ channel: Channel.NonEmergencyCall, narrative: 'My shed was broken into' });
    await settled(reference, (state) => state.version === 1);
    await send(reference, { type: 'assess', assessment: assessment({}, 3) });
    const recorded = await send(reference, { type: 'record-incident', incident: { openingCategory: 'crime-burglary', qualifiers: [] } });
    expect(clock(recorded, 'crime-recording-1').dueAt).toBe(new Date(receivedAt + 24 * HOUR).toISOString());
    const decided = await send(reference, { type: 'decide-crime', decision: { crimeRecorded: true, classification: 'burglary-business' } });
    expect(clock(decided, 'crime-recording-1').state).toBe('met');
    const update = clock(decided, 'victim-update-1');
    expect(update.label).toBe('victim told of the decision (5 working days)');
    const decidedAt = Date.parse(update.startedAt);
    // Five working days is at least a week less two weekend days; never less than five whole days.
    expect(Date.parse(update.dueAt) - decidedAt).toBeGreaterThanOrEqual(5 * 24 * HOUR);
    expect(Date.parse(update.dueAt) - decidedAt).toBeLessThanOrEqual(11 * 24 * HOUR);

    await skipTo(Date.parse(update.dueAt), -MINUTE);
    expect(clock(await stateOf(reference), 'victim-update-1').state).toBe('warned');
    await skipTo(Date.parse(update.dueAt), MINUTE);
    const breached = await settled(reference, (state) => clock(state, 'victim-update-1').state === 'breached');
    expect(clock(breached, 'victim-update-1').breachedAt! >= update.dueAt).toBe(true);
    const told = await send(reference, { type: 'add-note', text: 'Told the victim by phone', kind: 'victim-update' });
    expect(clock(told, 'victim-update-1')).toMatchObject({ state: 'met', breachedAt: clock(breached, 'victim-update-1').breachedAt });
    expect(clock(told, 'victim-update-cadence-1').state).toBe('running');
  });

  it('reviews a waiting web submission every 4 hours: a review records who and why, a missed one alerts', async () => {
    const { reference, receivedAt } = await openCase({ policy: defaultPolicy() });
    const opened = await settled(reference, (state) => state.version === 1);
    expect(clock(opened, 'risk-review-1')).toMatchObject({ state: 'running', dueAt: new Date(receivedAt + 4 * HOUR).toISOString() });

    await skipTo(receivedAt, 3 * HOUR + MINUTE);
    await settled(reference, (state) => clock(state, 'risk-review-1').state === 'warned');
    const reviewed = await send(reference, { type: 'review-risk', reason: 'awaiting-information' });
    const first = clock(reviewed, 'risk-review-1');
    expect(first).toMatchObject({ state: 'met', breachedAt: null });
    const next = clock(reviewed, 'risk-review-2');
    expect(next.state).toBe('running');
    expect(Date.parse(next.dueAt) - Date.parse(first.metAt!)).toBe(4 * HOUR);
    await settled(reference, () => true);
    const recorded = await waitUntil(
      async () => (await harness.database.query<{ actor_subject: string; actor_role: string; details: Record<string, unknown> }>("select actor_subject, actor_role, details from case_event where reference = $1 and type = 'risk-reviewed'", [reference]))[0],
      { timeoutMs: 15_000, what: 'the review in the store' },
    );
    expect(recorded).toEqual({ actor_subject: handler.subject, actor_role: handler.role, details: { reason: 'awaiting-information', riskMarker: null } });

    // Nobody looks again: the next review warns at 3 h and breaches at 4 h, each an alert.
    await skipTo(Date.parse(next.dueAt), MINUTE);
    await settled(reference, (state) => clock(state, 'risk-review-2').state === 'breached');
    const alerts = await waitUntil(
      async () => {
        const rows = await harness.database.query<{ reason: string }>("select reason from case_alert where reference = $1 and clock = 'risk-review-2' order by raised_for", [reference]);
        return rows.length === 2 ? rows : undefined;
      },
      { timeoutMs: 15_000, what: 'the missed review\'s alerts' },
    );
    expect(alerts.map((row) => row.reason)).toEqual(['clock-warning', 'clock-breach']);

    // Assessed at last: no review is due any more (a review then is refused: the unit and API
    // tests show it; tried here, a refused update left the next test's skip of time hanging).
    const assessed = await send(reference, { type: 'assess', assessment: assessment({}, 4) });
    expect(assessed.clocks.filter((each) => each.kind.startsWith('risk-review') && ['running', 'warned', 'breached'].includes(each.state))).toEqual([]);
  });

  it('keeps a running case on the policy it started under when a new policy comes in', async () => {
    const before = await openCase();
    const newer = policyWith('2026.12-shorter', { 'digital-action': { duration: { hours: 12 } } });
    const after = await openCase({ policy: newer });
    const [old, fresh] = await Promise.all([settled(before.reference, (s) => s.version === 1), settled(after.reference, (s) => s.version === 1)]);
    expect(old.policyVersion).toBe(otherClocks.version);
    expect(fresh.policyVersion).toBe('2026.12-shorter');

    await skipTo(after.receivedAt, 12 * HOUR + MINUTE);
    await settled(after.reference, (state) => clock(state, 'digital-action-1').state === 'breached');
    const unchanged = await stateOf(before.reference);
    expect(clock(unchanged, 'digital-action-1')).toMatchObject({ state: 'running', dueAt: new Date(before.receivedAt + 48 * HOUR).toISOString() });
    const recorded = await harness.database.query<{ version: string }>('select version from policy_version order by version');
    expect(recorded.map((row) => row.version)).toEqual(expect.arrayContaining([otherClocks.version, '2026.12-shorter']));
  });
});
