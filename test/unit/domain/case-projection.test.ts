import { describe, expect, it } from '@jest/globals';
import { type ActorRef } from '../../../src/domain/actor.js';
import { projectCase } from '../../../src/domain/case-projection.js';
import { Channel } from '../../../src/domain/channels.js';
import { applyAlarms, applyCommand, type CaseCommand, type CaseCommandType, type ContactCaseState, openCase, rejectionOf, withRaisedAlerts } from '../../../src/domain/contact-case.js';
import { countsOfChange } from '../../../src/domain/mi.js';
import { RiskFlag, screenContact } from '../../../src/domain/risk-screening.js';
import { type TimelineEntry, timelineEntryTypes } from '../../../src/domain/timeline.js';
import { commandUpdates } from '../../../src/workflows/contact-case.messages.js';
import { assessment } from '../../support/assessments.js';
import { defaultPolicy } from '../../support/policies.js';

const policy = defaultPolicy();
const handler: ActorRef = { subject: 'pc-1', role: 'contact-handler' };
const supervisor: ActorRef = { subject: 'sgt-2', role: 'team-leader' };
const t0 = Date.parse('2026-11-23T09:00:00.000Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

function opened(channel: Channel, narrative: string, flags: RiskFlag[] = [], conversationPlatform?: string) {
  return openCase(
    {
      reference: 'XP-20261123-000001',
      channel,
      receivedAt: at(0),
      policyVersion: policy.version,
      team: 'contact-centre',
      assignee: handler.subject,
      area: 'urban',
      flags,
      screening: screenContact({ channel, flags, narrative }, policy),
      conversationPlatform,
    },
    policy,
  );
}

/** A command applied as the workflow applies it: refused if the rules refuse it, its alerts raised. */
function step(state: ContactCaseState, command: CaseCommand, minutes: number, actor: ActorRef = handler) {
  const rejection = rejectionOf(state, command, actor);
  if (rejection) throw new Error(`${command.type}: ${rejection.message}`);
  const applied = applyCommand(state, command, actor, at(minutes), policy);
  const entries = applied.entries.map((entry, index) => ({ ...entry, id: `c${minutes}/${index}`, sequence: state.timelineLength + index + 1 }));
  return { state: withRaisedAlerts(applied.state, entries), entries };
}

/** Every clock entry names its clock's kind as the case holds it; every alert names its role in the chain. */
function expectTyped(state: ContactCaseState, entries: TimelineEntry[]): void {
  for (const entry of entries) {
    expect(timelineEntryTypes).toContain(entry.type);
    const details = entry.details as { clock?: string | null; clockKind?: string | null };
    if (typeof details.clock === 'string') expect(details.clockKind).toBe(state.clocks.find((clock) => clock.id === details.clock)!.kind);
    if (entry.type === 'escalated') expect(entry.details.role).toBe(policy.escalationChain[entry.details.level - 1]);
  }
}

describe('the case projection, command by command', () => {
  // Each command's effect on what the store, the queue, the Temporal UI and the view read. The
  // record is keyed by the command union: a command added without a case here fails to compile.
  const covered: Record<CaseCommandType, true> = {
    assess: true,
    'decide-downgrade': true,
    'record-incident': true,
    'decide-crime': true,
    'record-attendance': true,
    refer: true,
    'add-note': true,
    resolve: true,
    escalate: true,
    'pause-clock': true,
    'resume-clock': true,
    'acknowledge-alert': true,
    assign: true,
    regrade: true,
    'caller-recontacted': true,
    'receive-message': true,
    'send-message': true,
    'review-risk': true,
  };

  it('covers every command the workflow takes', () => {
    expect(Object.keys(covered).sort()).toEqual(Object.keys(commandUpdates).sort());
  });

  it('follows a case through every command but the conversation', () => {
    const start = opened(Channel.WebForm, 'My ex-partner hit me and keeps threatening me', [RiskFlag.DomesticAbuse]);
    let state = start.state;
    let projected = projectCase(state);
    const review = state.clocks.find((clock) => clock.kind === 'risk-review-ir')!;
    expect(projected).toMatchObject({ stage: 'triage', grade: null, priorityRank: 0, riskMarker: 'IR', domesticAbuse: true, openClockKinds: ['digital-action-risk', 'risk-review-ir'], nextDueAt: review.dueAt, version: 1, openAlert: false });
    expectTyped(state, start.entries);

    const run = (command: CaseCommand, minutes: number, actor?: ActorRef) => {
      const done = step(state, command, minutes, actor);
      expectTyped(done.state, done.entries);
      state = done.state;
      projected = projectCase(state);
      expect(projected.version).toBe(state.version);
      return done.entries;
    };

    // Looked at again while it waits: the review due is met and the next falls due an hour on.
    let entries = run({ type: 'review-risk', reason: 'awaiting-information' }, 2);
    expect(entries[0]).toMatchObject({ type: 'risk-reviewed', details: { reason: 'awaiting-information', riskMarker: 'IR' } });
    expect(projected).toMatchObject({ stage: 'triage', openClockKinds: ['digital-action-risk', 'risk-review-ir'], nextDueAt: new Date(Date.parse(at(2)) + 3_600_000).toISOString() });

    entries = run({ type: 'assess', assessment: assessment({ threat: 'high', harm: 'medium', risk: 'medium', safeguarding: 'high' }, 2) }, 5);
    expect(projected).toMatchObject({ stage: 'recording', grade: 2, pendingGrade: null, openClockKinds: ['attendance', 'unresourced'] });
    expect(entries.find((entry) => entry.type === 'clock-armed' && entry.details.clockKind === 'attendance')?.details).toMatchObject({ grade: 2 });
    expect(entries.find((entry) => entry.type === 'clock-met')?.details).toMatchObject({ clockKind: 'digital-action-risk', late: false, startedAt: at(0) });

    run({ type: 'assess', assessment: assessment({}, 4) }, 6);
    expect(projected).toMatchObject({ grade: 2, pendingGrade: 4 });
    entries = run({ type: 'decide-downgrade', approve: false, rationale: 'Risk unchanged' }, 7, supervisor);
    expect(projected).toMatchObject({ grade: 2, pendingGrade: null });
    expect(entries[0]).toEqual({ type: 'downgrade-refused', details: { fromGrade: 2, toGrade: 4, requestedBy: handler.subject, requestedByRole: handler.role, requestedAt: at(6) }, id: 'c7/0', sequence: expect.any(Number) });

    entries = run({ type: 'regrade', grade: 1, reason: 'risk-increased' }, 8, supervisor);
    expect(projected).toMatchObject({ grade: 1, priorityRank: 0 });
    expect(entries.filter((entry) => entry.type === 'clock-rebaselined').map((entry) => entry.type === 'clock-rebaselined' && [entry.details.clockKind, entry.details.toGrade])).toEqual([
      ['unresourced', 1],
      ['attendance', 1],
    ]);

    run({ type: 'record-attendance', event: 'dispatched', unit: 'Alpha-1' }, 9);
    expect(projected.openClockKinds).toEqual(['attendance']);

    run({ type: 'record-incident', incident: { openingCategory: 'crime-violence', qualifiers: ['domestic'] } }, 10);
    expect(projected).toMatchObject({ stage: 'resolution', openingCategory: 'crime-violence', qualifiers: ['domestic'], openClockKinds: ['attendance', 'crime-recording'] });

    run({ type: 'decide-crime', decision: { crimeRecorded: true, classification: 'violence-with-injury' } }, 11);
    expect(projected.crimeRecorded).toBe(true);
    expect(projected.openClockKinds).toEqual(['attendance', 'victim-support-referral', 'victim-update-enhanced']);

    entries = run({ type: 'refer', referral: { agency: 'Victim Support', kind: 'victim-support', reason: 'Enhanced rights' } }, 12);
    expect(entries.map((entry) => entry.type)).toEqual(['referral', 'clock-met']);
    expect(projected.openClockKinds).toEqual(['attendance', 'victim-update-enhanced']);

    entries = run({ type: 'add-note', text: 'Told the victim of the decision', kind: 'victim-update' }, 13);
    expect(entries.map((entry) => entry.type)).toEqual(['note', 'clock-met', 'clock-armed']);
    expect(projected.openClockKinds).toEqual(['attendance', 'victim-update-cadence']);

    entries = run({ type: 'pause-clock', clock: 'attendance-1', reason: 'victim-unavailable' }, 14, supervisor);
    expect(entries[0]).toMatchObject({ type: 'clock-paused', details: { clockKind: 'attendance', reason: 'victim-unavailable' } });
    expect(projected.clocks.find((clock) => clock.id === 'attendance-1')?.state).toBe('paused');
    entries = run({ type: 'resume-clock', clock: 'attendance-1' }, 20, supervisor);
    expect(entries[0]).toMatchObject({ type: 'clock-resumed', details: { clockKind: 'attendance', reason: 'victim-unavailable', pausedMs: 6 * 60_000 } });

    entries = run({ type: 'escalate', reason: 'supervisor-review' }, 21);
    expect(entries[0]).toMatchObject({ type: 'escalated', details: { clock: null, clockKind: null, reason: 'manual:supervisor-review' } });
    expect(projected).toMatchObject({ escalationLevel: 1, openAlert: true });
    const alert = state.alerts[0];
    run({ type: 'acknowledge-alert', alert: alert.id, action: 'no-action-needed' }, 22, { subject: 'pc-9', role: alert.role });
    expect(projected.openAlert).toBe(false);

    run({ type: 'assign', assignee: 'pc-7', team: 'north', reason: 'workload' }, 23, supervisor);
    expect(projected).toMatchObject({ assignee: 'pc-7', team: 'north' });
    entries = run({ type: 'caller-recontacted', by: 'XP-20261123-000009' }, 24);
    expect(entries).toEqual([expect.objectContaining({ type: 'caller-recontacted', details: { by: 'XP-20261123-000009', stage: 'resolution' } })]);

    run({ type: 'record-attendance', event: 'arrived' }, 25);
    entries = run({ type: 'resolve', resolution: { outcome: 'attended', closingCategory: 'crime-violence' } }, 30);
    expect(projected).toMatchObject({ stage: 'closed', outcome: 'attended', closingCategory: 'crime-violence', firstContactResolution: false, closedAt: at(30), nextDueAt: null, openClockKinds: [], breached: false });
    expect(entries.map((entry) => entry.type)).toEqual(['closed', 'clock-stopped']);
  });

  it('follows a conversation: messages in and out, a risk a later message shows, the first response met', () => {
    const start = opened(Channel.SocialMedia, 'Someone keeps posting about me', [], 'x');
    let state = start.state;
    const message = (text: string, minutes: number) => ({ type: 'receive-message' as const, message: { platform: 'x', externalId: `m${minutes}`, handle: '@caller', text, sentAt: at(minutes) } });
    let done = step(state, message('Someone keeps posting about me', 1), 1, { subject: 'connector', role: 'channel-connector' });
    state = done.state;
    expect(projectCase(state).openClockKinds).toContain('first-response');
    done = step(state, message('Now my ex-partner is threatening to hurt me', 3), 3, { subject: 'connector', role: 'channel-connector' });
    state = done.state;
    expect(done.entries.map((entry) => entry.type)).toEqual(['message-received', 'screening-raised', 'escalated']);
    expect(projectCase(state)).toMatchObject({ domesticAbuse: true, openAlert: true, screeningReasons: expect.arrayContaining(['narrative:domestic-abuse']) });
    done = step(state, { type: 'send-message', text: 'We are looking at this now' }, 5);
    expect(done.entries.map((entry) => entry.type)).toEqual(['message-sent', 'clock-met']);
    expect(done.entries[1].details).toMatchObject({ clockKind: 'first-response', late: false });
    expect(projectCase(done.state).openClockKinds).not.toContain('first-response');
  });

  it('names the kind of each clock that warns and breaches, and the role each alarm tells', () => {
    const start = opened(Channel.WebForm, 'Report made online');
    const fired = applyAlarms(start.state, policy, t0 + 49 * 3_600_000);
    // Left two days: its risk review (due at 4 h) and its deadline (48 h) both breached, once each.
    expect(fired.entries.map((entry) => [entry.type, 'clockKind' in entry.details ? entry.details.clockKind : null])).toEqual([
      ['clock-breached', 'risk-review'],
      ['escalated', 'risk-review'],
      ['clock-breached', 'digital-action'],
      ['escalated', 'digital-action'],
    ]);
    expectTyped(fired.state, fired.entries);
    const escalated = fired.entries.findLast((entry) => entry.type === 'escalated');
    expect(projectCase(fired.state)).toMatchObject({ breached: true, escalationLevel: escalated?.type === 'escalated' ? escalated.details.level : -1, version: 2 });
  });
});

describe('the management-information counts of a change', () => {
  const counted = { team: 'contact-centre', channel: Channel.WebForm, area: 'urban' as const, receivedAt: at(0), vulnerable: true, riskMarker: 'IR' as const, screeningReasons: ['history:repeat-caller'], closedAt: null };

  it('counts a contact: its channel, its hour, and what screening found', () => {
    const { entries } = opened(Channel.WebForm, 'Report made online');
    expect(countsOfChange(counted, entries.slice(0, 1), at(0))).toEqual([
      { at: at(0), team: 'contact-centre', measure: 'contacts', dimension: 'web-form', count: 1, totalMs: 0 },
      { at: at(0), team: 'contact-centre', measure: 'contacts-hour', dimension: null, count: 1, totalMs: 0 },
      { at: at(0), team: 'contact-centre', measure: 'screening', dimension: 'vulnerable', count: 1, totalMs: 0 },
      { at: at(0), team: 'contact-centre', measure: 'screening', dimension: 'repeat-caller', count: 1, totalMs: 0 },
    ]);
  });

  it('counts a clock met from its own start, an attendance by its grade (never from a label), a pause by its reason, a closure with its handling time', () => {
    const entries: TimelineEntry[] = [
      { type: 'clock-met', details: { clock: 'attendance-1', clockKind: 'attendance', grade: 2, late: false, startedAt: at(0), dueAt: at(60) } },
      { type: 'clock-resumed', details: { clock: 'attendance-1', clockKind: 'attendance', reason: 'victim-unavailable', pausedMs: 120_000, dueAt: at(62) } },
      { type: 'clock-breached', details: { clock: 'unresourced-1', clockKind: 'unresourced', dueAt: at(40) } },
      { type: 'downgrade-approved', details: { fromGrade: 2, toGrade: 3, requestedBy: 'pc-1', requestedByRole: 'contact-handler', requestedAt: at(1) } },
      { type: 'assessed', details: { grade: 2, previousGrade: null, assessment: 1 } },
      { type: 'closed', details: { outcome: 'attended', closingCategory: 'crime-violence', firstContactResolution: false, handlingMs: 1_500_000, sessions: 2 } },
    ];
    expect(countsOfChange({ ...counted, closedAt: at(45) }, entries, at(45)).map(({ measure, dimension, totalMs }) => [measure, dimension, totalMs])).toEqual([
      ['clock-met-on-time', 'attendance', 45 * 60_000],
      ['clock-time-to-meet', 'attendance|le:60', 45 * 60_000],
      ['attendance', '2|urban|on-time', 45 * 60_000],
      ['clock-paused', 'victim-unavailable', 120_000],
      ['clock-breached', 'unresourced', 0],
      ['downgrades', 'approved', 0],
      ['first-grade', '2', 0],
      ['closed-outcome', 'attended', 0],
      ['closed-category', 'crime-violence', 0],
      ['fcr', 'false', 0],
      ['handling', 'web-form|attended', 1_500_000],
    ]);
  });
});
