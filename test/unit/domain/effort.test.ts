import { describe, expect, it } from '@jest/globals';
import { openCaseFromIntake } from '../../../src/domain/case-records.js';
import { Channel } from '../../../src/domain/channels.js';
import { applyCommand, type CaseCommand, type ContactCaseState } from '../../../src/domain/contact-case.js';
import { afterAction, type EffortRule, noEffort } from '../../../src/domain/effort.js';
import { type ContactPolicy } from '../../../src/domain/policy.js';
import { screenContact } from '../../../src/domain/risk-screening.js';
import { assessment } from '../../support/assessments.js';
import { defaultPolicy } from '../../support/policies.js';

const MINUTE = 60_000;
const received = Date.parse('2026-11-23T09:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();
const handler = { subject: 'pc-1', role: 'contact-handler' };
const teamLeader = { subject: 'sgt-2', role: 'team-leader' };
const rule: EffortRule = { sessionGapMinutes: 15, minutesPerSession: 3, costPerStaffHour: 36 };
const policy: ContactPolicy = { ...defaultPolicy(), effort: rule };

function intake(actor = handler, under = policy): ContactCaseState {
  return openCaseFromIntake({
    reference: 'XP-20261123-000001',
    channel: Channel.NonEmergencyCall,
    receivedAt: at(received),
    policy: under,
    team: 'contact-centre',
    area: 'urban',
    actor,
    flags: [],
    screening: screenContact({ channel: Channel.NonEmergencyCall, flags: [], narrative: 'My bicycle was stolen' }, under),
    details: { caller: { name: 'A Caller' }, narrative: 'My bicycle was stolen' },
  }).state;
}

const apply = (state: ContactCaseState, command: CaseCommand, actor: { subject: string; role: string }, minutes: number) =>
  applyCommand(state, command, actor, at(received + minutes * MINUTE), policy);

describe("people's handling time on a case", () => {
  it('counts a session from its first action to its last, plus the minutes for the first', () => {
    let effort = afterAction(noEffort, handler, 0, rule);
    effort = afterAction(effort, handler, 4 * MINUTE, rule);
    effort = afterAction(effort, handler, 10 * MINUTE, rule);
    expect(effort).toEqual({ handlingMs: 13 * MINUTE, sessions: 1, actions: 3, last: { subject: 'pc-1', atMs: 10 * MINUTE } });
  });

  it('starts a new session after a pause longer than the gap, or when another person acts', () => {
    let effort = afterAction(noEffort, handler, 0, rule);
    effort = afterAction(effort, handler, 16 * MINUTE, rule);
    expect([effort.handlingMs, effort.sessions]).toEqual([6 * MINUTE, 2]);
    effort = afterAction(effort, teamLeader, 17 * MINUTE, rule);
    expect([effort.handlingMs, effort.sessions]).toEqual([9 * MINUTE, 3]);
    // Exactly the gap still continues the session.
    effort = afterAction(effort, teamLeader, 32 * MINUTE, rule);
    expect([effort.handlingMs, effort.sessions]).toEqual([24 * MINUTE, 3]);
  });

  it('counts taking the contact and each command by a person, not a connector or the clocks, and records it with the closure', () => {
    expect(intake().effort).toMatchObject({ handlingMs: 3 * MINUTE, sessions: 1, actions: 1 });
    expect(intake({ subject: 'webchat-connector', role: 'channel-connector' }).effort).toEqual(noEffort);

    let state = intake();
    state = apply(state, { type: 'assess', assessment: assessment({}, 4) }, handler, 5).state;
    state = apply(state, { type: 'record-incident', incident: { openingCategory: 'crime-theft', qualifiers: [] } }, handler, 8).state;
    const system = applyCommand(state, { type: 'add-note', text: 'Filed by the clocks' }, { subject: 'system', role: 'system' }, at(received + 9 * MINUTE), policy).state;
    expect(system.effort).toEqual(state.effort);
    // Forty minutes later, the closure is a session of its own.
    const closed = apply(state, { type: 'resolve', resolution: { outcome: 'resolved-at-first-contact', closingCategory: 'crime-theft' } }, handler, 48);
    expect(closed.state.effort).toMatchObject({ handlingMs: (3 + 8 + 3) * MINUTE, sessions: 2, actions: 4 });
    expect(closed.entries[0]).toMatchObject({ type: 'closed', details: { handlingMs: 14 * MINUTE, sessions: 2 } });
  });

  it("follows the case's own policy; under a policy without a rule, nothing is kept and a closure records none", () => {
    const { effort: _effort, ...withoutRule } = policy;
    const opened = intake(handler, withoutRule);
    expect(opened.effort).toBeUndefined();
    const assessed = applyCommand(opened, { type: 'assess', assessment: assessment({}, 4) }, handler, at(received + MINUTE), withoutRule).state;
    const recorded = applyCommand(assessed, { type: 'record-incident', incident: { openingCategory: 'crime-theft', qualifiers: [] } }, handler, at(received + 2 * MINUTE), withoutRule).state;
    const closed = applyCommand(recorded, { type: 'resolve', resolution: { outcome: 'resolved-at-first-contact', closingCategory: 'crime-theft' } }, handler, at(received + 3 * MINUTE), withoutRule);
    expect(closed.state.effort).toBeUndefined();
    expect(closed.entries[0].details).not.toHaveProperty('handlingMs');
    const longer = { ...policy, effort: { sessionGapMinutes: 60, minutesPerSession: 10 } };
    expect(intake(handler, longer).effort?.handlingMs).toBe(10 * MINUTE);
  });
});
