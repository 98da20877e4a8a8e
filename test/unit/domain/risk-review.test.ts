import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../src/domain/channels.js';
import { fireAlarms } from '../../../src/domain/clocks.js';
import { applyCommand, type CaseCommand, type ContactCaseState, openCase, rejectionOf } from '../../../src/domain/contact-case.js';
import { type ContactPolicy } from '../../../src/domain/policy.js';
import { RiskFlag, screenContact } from '../../../src/domain/risk-screening.js';
import { assessment } from '../../support/assessments.js';
import { defaultPolicy } from '../../support/policies.js';

const policy = defaultPolicy();
const HOUR = 3_600_000;
const received = Date.parse('2026-11-23T09:00:00.000Z');
const handler = { subject: 'pc-1', role: 'contact-handler' };
const at = (ms: number) => new Date(ms).toISOString();

function submission(narrative = 'My shed was broken into', flags: RiskFlag[] = [], channel = Channel.WebForm, under: ContactPolicy = policy): ContactCaseState {
  return openCase(
    {
      reference: 'XP-20261123-000001',
      channel,
      receivedAt: at(received),
      policyVersion: under.version,
      team: 'contact-centre',
      assignee: handler.subject,
      area: 'urban',
      flags,
      screening: screenContact({ channel, flags, narrative }, under),
    },
    under,
  ).state;
}

const apply = (state: ContactCaseState, command: CaseCommand, nowMs: number) => applyCommand(state, command, handler, at(nowMs), policy);
const running = (state: ContactCaseState) => state.clocks.filter((clock) => ['running', 'warned', 'breached'].includes(clock.state)).map((clock) => [clock.kind, clock.dueAt]);
const review: CaseCommand = { type: 'review-risk', reason: 'no-risk-indicators' };

describe('the regular risk review of a waiting web submission', () => {
  it('falls due at the cadence from arrival, and again from each review', () => {
    const opened = submission();
    expect(running(opened)).toContainEqual(['risk-review', at(received + 4 * HOUR)]);
    const reviewed = apply(opened, review, received + 3 * HOUR);
    expect(reviewed.entries[0]).toEqual({ type: 'risk-reviewed', details: { reason: 'no-risk-indicators', riskMarker: null } });
    expect(reviewed.entries).toContainEqual(expect.objectContaining({ type: 'clock-met', details: expect.objectContaining({ clockKind: 'risk-review', late: false }) }));
    expect(running(reviewed.state).filter(([kind]) => kind === 'risk-review')).toEqual([['risk-review', at(received + 7 * HOUR)]]);
  });

  it('reviews a submission marked IR on its shorter cadence', () => {
    const opened = submission('He said he would hurt me and I am scared', [RiskFlag.DomesticAbuse]);
    expect(opened.screening.riskMarker).toBe('IR');
    expect(running(opened)).toContainEqual(['risk-review-ir', at(received + HOUR)]);
    expect(running(opened).some(([kind]) => kind === 'risk-review')).toBe(false);
  });

  it('breaches and escalates a review that is missed, like every clock', () => {
    const { entries } = fireAlarms(submission(), policy, received + 4 * HOUR + 1);
    expect(entries).toContainEqual(expect.objectContaining({ type: 'clock-breached', details: expect.objectContaining({ clockKind: 'risk-review' }) }));
    expect(entries).toContainEqual(expect.objectContaining({ type: 'escalated', details: expect.objectContaining({ clockKind: 'risk-review' }) }));
  });

  it('ends with the first assessment, after which a review is refused', () => {
    const assessed = apply(submission(), { type: 'assess', assessment: assessment({}, 3) }, received + HOUR);
    expect(assessed.entries).toContainEqual(expect.objectContaining({ type: 'clock-met', details: expect.objectContaining({ clockKind: 'risk-review' }) }));
    expect(running(assessed.state).some(([kind]) => String(kind).startsWith('risk-review'))).toBe(false);
    expect(rejectionOf(assessed.state, review, handler)).toMatchObject({ kind: 'stage' });
  });

  it('arms nothing, and refuses a review, under a policy without a cadence or on a phone call', () => {
    const { 'risk-review': _review, 'risk-review-ir': _ir, ...olderClocks } = policy.clocks;
    const older: ContactPolicy = { ...policy, version: 'older', clocks: olderClocks };
    const waiting = submission(undefined, [], Channel.WebForm, older);
    expect(waiting.clocks.map((clock) => clock.kind)).toEqual(['digital-action']);
    expect(rejectionOf(waiting, review, handler)).toMatchObject({ kind: 'stage' });
    expect(submission(undefined, [], Channel.NonEmergencyCall).clocks).toEqual([]);
  });
});
