import { describe, expect, it } from '@jest/globals';
import { defaultPolicy, policyWithout } from '../../support/policies.js';
import { Channel } from '../../../src/domain/channels.js';
import { armClock, type ClockBook, fireAlarms, meetClocks, nextAlarm, nextDueAt, type TimelineEntry } from '../../../src/domain/clocks.js';
import { applyCommand, type CaseCommand, type ContactCaseState, openCase } from '../../../src/domain/contact-case.js';
import { RiskFlag, screenContact } from '../../../src/domain/risk-screening.js';
import { assessment } from '../../support/assessments.js';

// The clocks other than the regular risk review (its own tests are in risk-review.test.ts).
const policy = policyWithout(`${defaultPolicy().version}-no-review`, ['risk-review', 'risk-review-ir']);
const HOUR = 3_600_000;
const received = Date.parse('2026-11-23T09:00:00.000Z');
const handler = { subject: 'pc-1', role: 'contact-handler' };

function webSubmission(flags: RiskFlag[] = [RiskFlag.DomesticAbuse]): ContactCaseState {
  return openCase(
    {
      reference: 'XP-20261123-000001',
      channel: Channel.WebForm,
      receivedAt: new Date(received).toISOString(),
      policyVersion: policy.version,
      team: 'contact-centre',
      assignee: handler.subject,
      area: 'urban',
      flags,
      screening: screenContact({ channel: Channel.WebForm, flags, narrative: 'report' }, policy),
    },
    policy,
  ).state;
}

/** Fires the alarms due by `atMs` on the test's own case, which then holds the new clocks. */
function fire(testCase: ClockBook, atMs: number): TimelineEntry[] {
  const { book, entries } = fireAlarms(testCase, policy, atMs);
  Object.assign(testCase, book);
  return entries;
}

const command = (state: ContactCaseState, cmd: CaseCommand, atMs: number) => applyCommand(state, cmd, handler, new Date(atMs).toISOString(), policy);

describe('clocks', () => {
  it('arms 24 h for a domestic abuse web submission and 48 h otherwise', () => {
    const dv = webSubmission();
    expect(dv.clocks).toMatchObject([{ id: 'digital-action-risk-1', state: 'running', dueAt: '2026-11-24T09:00:00.000Z', warnAt: '2026-11-24T03:00:00.000Z' }]);
    expect(webSubmission([]).clocks[0]).toMatchObject({ id: 'digital-action-1', dueAt: '2026-11-25T09:00:00.000Z' });
    expect(nextDueAt(dv)).toBe('2026-11-24T09:00:00.000Z');
  });

  it('warns, breaches and re-escalates up the chain, naming whom it tells', () => {
    const book = webSubmission();
    expect(fire(book, received + 17 * HOUR)).toEqual([]);
    expect(fire(book, received + 18 * HOUR).map((e) => [e.type, ('role' in e.details ? e.details.role : null)])).toEqual([['clock-warned', null], ['escalated', 'contact-handler']]);
    expect(fire(book, received + 24 * HOUR).map((e) => [e.type, ('role' in e.details ? e.details.role : null)])).toEqual([['clock-breached', null], ['escalated', 'team-leader']]);
    expect(fire(book, received + 26 * HOUR).map((e) => [e.type, 'role' in e.details ? e.details.role : null])).toEqual([['escalated', 'duty-inspector']]);
    // The top of the chain is told again on each repeat until someone acts.
    expect(fire(book, received + 28 * HOUR).map((e) => ['level' in e.details ? e.details.level : null, 'role' in e.details ? e.details.role : null])).toEqual([[3, 'duty-inspector']]);
    expect(book.escalationLevel).toBe(3);
  });

  it('raises each overdue alarm once after a gap: no stale warning, missed repeats collapsed', () => {
    const book = webSubmission();
    const entries = fire(book, received + 31 * HOUR);
    expect(entries.map((e) => e.type)).toEqual(['clock-breached', 'escalated']);
    expect(book.clocks[0].nextEscalationAt).toBe(new Date(received + 32 * HOUR).toISOString());
    expect(nextAlarm(book)).toMatchObject({ event: 're-escalation', summary: expect.stringContaining('web submission') });
  });

  it('never changes the clocks it is given: each step returns new ones', () => {
    const opened = webSubmission();
    const before = JSON.stringify(opened);
    const warned = fireAlarms(opened, policy, received + 18 * HOUR);
    const breached = fireAlarms(warned.book, policy, received + 24 * HOUR);
    expect(JSON.stringify(opened)).toBe(before);
    expect([warned.book.clocks[0].state, breached.book.clocks[0].state, opened.clocks[0].state]).toEqual(['warned', 'breached', 'running']);
    expect([warned.book.escalationLevel, breached.book.escalationLevel, opened.escalationLevel]).toEqual([1, 2, 0]);
    const commanded = command(opened, { type: 'assess', assessment: assessment({}, 3) }, received + HOUR);
    expect(JSON.stringify(opened)).toBe(before);
    expect(commanded.state.clocks.map((clock) => clock.state)).toEqual(['met', 'running']);
  });

  it('is met by the first assessment, however close to its deadline', () => {
    const book = webSubmission();
    fire(book, received + 18 * HOUR);
    const { state, entries } = command(book, { type: 'assess', assessment: assessment({}, 3) }, received + 24 * HOUR - 1);
    expect(entries.map((e) => e.type)).toEqual(['assessed', 'clock-met', 'clock-armed']);
    expect(state.clocks[0]).toMatchObject({ state: 'met', breachedAt: null });
    expect(fire(state, received + 25 * HOUR).filter((e) => e.type === 'clock-breached')).toEqual([]);
  });
});

describe('a clock met after its due time', () => {
  it('is late even when its breach timer has not fired yet (a contact recorded after the fact)', () => {
    const book = { clocks: [], escalationLevel: 0 };
    const startMs = Date.parse('2026-11-02T09:00:00Z');
    const armed = armClock(book, policy, 'digital-action', startMs);
    const dueMs = Date.parse(armed.book.clocks[0].dueAt);
    expect(meetClocks(armed.book, 'digital-action', dueMs - 1).entries[0]).toMatchObject({ type: 'clock-met', details: { late: false, clockKind: 'digital-action' } });
    expect(meetClocks(armed.book, 'digital-action', dueMs + 1).entries[0]).toMatchObject({ type: 'clock-met', details: { late: true, clockKind: 'digital-action' } });
  });
});
