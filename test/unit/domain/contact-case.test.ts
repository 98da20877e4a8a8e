import { describe, expect, it } from '@jest/globals';
import { channelDetailProblems, Channel, SocialMediaPlatform } from '../../../src/domain/channels.js';
import { applyCommand, type CaseCommand, type ContactCaseState, initialCaseState, priorityRank, rejectionOf } from '../../../src/domain/contact-case.js';
import { formatReference, isReference } from '../../../src/domain/reference.js';
import { screenContact } from '../../../src/domain/risk-screening.js';
import { assessment } from '../../support/assessments.js';
import { defaultPolicy } from '../../support/policies.js';

const policy = defaultPolicy();

const handler = { subject: 'pc-1', role: 'contact-handler' };
const supervisor = { subject: 'sgt-2', role: 'team-leader' };

function openCase(narrative = 'My bike was stolen', channel = Channel.WebForm): ContactCaseState {
  return initialCaseState({
    reference: 'XP-20261123-000001',
    channel,
    receivedAt: '2026-11-23T09:00:00.000Z',
    policyVersion: policy.version,
    team: 'contact-centre',
    assignee: handler.subject,
    area: 'urban',
    flags: [],
    screening: screenContact({ channel, flags: [], narrative }, policy),
  });
}

function run(state: ContactCaseState, ...commands: Array<[CaseCommand, typeof handler?]>): ContactCaseState {
  return commands.reduce((current, [command, actor = handler]) => {
    const rejection = rejectionOf(current, command, actor);
    if (rejection) throw new Error(rejection.message);
    return applyCommand(current, command, actor, '2026-11-23T09:05:00.000Z', policy).state;
  }, state);
}

const assess = (grade: 1 | 2 | 3 | 4, levels = {}): CaseCommand => ({ type: 'assess', assessment: assessment(levels, grade) });
const incident: CaseCommand = { type: 'record-incident', incident: { openingCategory: 'crime-theft', qualifiers: [] } };

describe('contact case rules', () => {
  it('moves triage → recording → resolution → closed as the work is done', () => {
    let state = openCase();
    expect(state.stage).toBe('triage');
    state = run(state, [assess(3)]);
    expect(state.stage).toBe('recording');
    state = run(state, [incident], [{ type: 'decide-crime', decision: { crimeRecorded: true, classification: 'theft' } }]);
    expect(state.stage).toBe('resolution');
    state = run(state, [{ type: 'resolve', resolution: { outcome: 'signposted', closingCategory: 'crime-theft', signpostedTo: 'Victim Support' } }]);
    expect(state.stage).toBe('closed');
    expect(state.version).toBe(4);
  });

  it('takes a claim made on what the queue showed only while the case is still with that person', () => {
    const other = { subject: 'pc-9', role: 'contact-handler' };
    const claim = (assignee: string, ifAssignee?: string): CaseCommand => ({ type: 'assign', assignee, reason: 'claim', ...(ifAssignee ? { ifAssignee } : {}) });
    const claimed = run(openCase(), [claim('pc-9', 'pc-1'), other]);
    expect(claimed.assignee).toBe('pc-9');
    // A second claim made on the same view of the queue is refused, naming who has the case now.
    const refused = rejectionOf(claimed, claim('pc-1', 'pc-1'), handler);
    expect(refused).toEqual({ kind: 'stage', message: 'Case XP-20261123-000001 is now with pc-9 (contact-centre), no longer with pc-1', fields: [] });
    // Without the condition, as commands were before it, a claim takes the case over.
    expect(run(claimed, [claim('pc-1')]).assignee).toBe('pc-1');
  });

  it('holds a downgrade until a second person, a supervisor, approves it', () => {
    const state = run(openCase(), [assess(2, { risk: 'medium' })], [assess(3)]);
    expect(state.grade).toBe(2);
    expect(state.pendingDowngrade).toMatchObject({ fromGrade: 2, toGrade: 3 });
    expect(rejectionOf(state, { type: 'decide-downgrade', approve: true, rationale: 'no longer urgent' }, handler)?.kind).toBe('invalid');
    const approved = run(state, [{ type: 'decide-downgrade', approve: true, rationale: 'no longer urgent' }, supervisor]);
    expect([approved.grade, approved.pendingDowngrade]).toEqual([3, null]);
  });

  it('applies an upgrade at once, and refuses to decide a downgrade that is not pending (stage)', () => {
    const state = run(openCase(), [assess(3)], [assess(2, { risk: 'medium' })]);
    expect(state.grade).toBe(2);
    expect(rejectionOf(state, { type: 'decide-downgrade', approve: true, rationale: 'nothing to approve' }, supervisor)?.kind).toBe('stage');
  });

  it('refuses first contact resolution until assessed, recorded and safeguarded', () => {
    const resolve: CaseCommand = { type: 'resolve', resolution: { outcome: 'resolved-at-first-contact', closingCategory: 'domestic-incident' } };
    let state = openCase('my partner hit me');
    expect(rejectionOf(state, resolve, handler)?.kind).toBe('stage');
    state = run(state, [assess(4)], [{ type: 'record-incident', incident: { openingCategory: 'domestic-incident', qualifiers: ['domestic'] } }]);
    expect(rejectionOf(state, resolve, handler)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('a safeguarding referral') });
    state = run(state, [{ type: 'refer', referral: { agency: 'IDVA', kind: 'safeguarding', reason: 'DASH referral' } }], [resolve]);
    expect(state.resolution?.firstContactResolution).toBe(true);
  });

  it('needs an NCRS decision before a crime incident closes', () => {
    const state = run(openCase(), [assess(3)], [incident]);
    const close: CaseCommand = { type: 'resolve', resolution: { outcome: 'no-further-action', closingCategory: 'crime-theft', noFurtherActionReason: 'no lines of enquiry' } };
    expect(rejectionOf(state, close, handler)?.message).toContain('NCRS crime recording decision');
  });

  it('deploys only to graded cases below grade 4, dispatch before arrival', () => {
    expect(rejectionOf(openCase(), { type: 'record-attendance', event: 'dispatched' }, handler)?.kind).toBe('stage');
    const graded = run(openCase(), [assess(2, { risk: 'medium' })]);
    expect(rejectionOf(graded, { type: 'record-attendance', event: 'arrived' }, handler)?.kind).toBe('invalid');
    const resolvedByPhone = run(openCase(), [assess(4)]);
    expect(rejectionOf(resolvedByPhone, { type: 'record-attendance', event: 'dispatched' }, handler)?.kind).toBe('invalid');
  });

  it('refuses every command on a closed case as a stage conflict', () => {
    const closed = run(openCase(), [assess(4)], [{ type: 'record-incident', incident: { openingCategory: 'advice', qualifiers: [] } }], [
      { type: 'resolve', resolution: { outcome: 'resolved-at-first-contact', closingCategory: 'advice' } },
    ]);
    expect(rejectionOf(closed, { type: 'add-note', text: 'late' }, handler)).toMatchObject({ kind: 'stage', message: 'Case XP-20261123-000001 was closed by pc-1 at 2026-11-23T09:05:00.000Z: a closed case takes no further commands' });
  });

  it('puts IR and grade 1 first in the queue', () => {
    expect(priorityRank(openCase('a man with a knife outside'))).toBe(0);
    expect(priorityRank(openCase())).toBe(1);
    expect(priorityRank(run(openCase('x', Channel.NonEmergencyCall), [assess(1, { threat: 'high', harm: 'high', risk: 'high' })]))).toBe(0);
  });

  it('writes timeline entries of codes, never a note’s text', () => {
    const { entries } = applyCommand(openCase(), { type: 'add-note', text: 'Caller Jane Doe, 07700 900123' }, handler, '2026-11-23T09:00:00Z', policy);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toMatch(/Jane|07700/);
  });
});

describe('channel details and references', () => {
  it('requires what each channel needs and refuses what does not apply', () => {
    expect(channelDetailProblems(Channel.WebForm, {})).toEqual([{ field: 'channelDetails.title', message: 'title is required for web-form' }]);
    expect(channelDetailProblems(Channel.SocialMedia, { platform: SocialMediaPlatform.X }).map((p) => p.field)).toEqual(['channelDetails.handle']);
    expect(channelDetailProblems(Channel.EmergencyCall, { station: 'Central' }).map((p) => p.field)).toEqual(['channelDetails.station']);
    expect(channelDetailProblems(Channel.FaceToFace, { station: 'Central' })).toEqual([]);
  });

  it('formats references a person can read out', () => {
    expect(formatReference('XP', '2026-11-23', 42)).toBe('XP-20261123-000042');
    expect(isReference('XP-20261123-000042')).toBe(true);
    expect(isReference('contact-1')).toBe(false);
  });
});
