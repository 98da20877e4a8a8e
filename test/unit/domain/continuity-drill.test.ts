import { describe, expect, it } from '@jest/globals';
import type { CaseClock } from '../../../src/domain/clocks.js';
import { DRILL_CLOCK_KIND, type DrillAlert, drillPolicy, expectedAlarms, type FiredAlarm, judgeDrill } from '../../../src/domain/continuity-drill.js';
import { loadPolicyFile } from '../../../src/modules/policy/policy.loader.js';

const T0 = Date.parse('2026-12-01T04:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const clock = (id: string): CaseClock => ({ id, kind: DRILL_CLOCK_KIND, warnAt: at(15), dueAt: at(30) }) as unknown as CaseClock;
const cases = [
  { reference: 'XP-20261201-000001', clocks: [clock('c1')] },
  { reference: 'XP-20261201-000002', clocks: [clock('c2')] },
];
const alertFor = (reference: string, clockId: string, reason: string, deliveryState = 'delivered'): DrillAlert => ({ id: `${reference}/${clockId}/${reason}`, reference, clock: clockId, reason, raisedFor: at(0), deliveryState });
const allFired = (lateSeconds = 0): FiredAlarm[] =>
  cases.flatMap(({ reference, clocks: [{ id }] }) => [
    { reference, clock: id, alarm: 'warning' as const, at: at(15 + lateSeconds) },
    { reference, clock: id, alarm: 'due' as const, at: at(30 + lateSeconds) },
  ]);
const allAlerts = (state = 'delivered') => cases.flatMap(({ reference, clocks: [{ id }] }) => [alertFor(reference, id, 'clock-warning', state), alertFor(reference, id, 'clock-breach', state)]);

describe('continuity drills', () => {
  it('shortens only the digital-action clock, under a version of its own', () => {
    const { policy } = loadPolicyFile('policy/force-default.json');
    expect(policy.version).toMatch(/^2026/);
    const drill = drillPolicy(policy, { cases: 3, clockSeconds: 30, workerDownSeconds: 5, toleranceSeconds: 5 });
    expect(drill.version).toBe(`${policy.version}+drill-30s`);
    expect(drill.clocks[DRILL_CLOCK_KIND]).toMatchObject({ duration: { seconds: 30 }, warnAt: 0.5 });
    expect(drill.clocks['crime-recording']).toEqual(policy.clocks['crime-recording']);
    expect(drill.grades).toEqual(policy.grades);
  });

  it('expects a warning and a breach for each case', () => {
    expect(expectedAlarms(cases).map((alarm) => `${alarm.reference} ${alarm.alarm} ${alarm.dueAt}`)).toEqual([
      `XP-20261201-000001 warning ${at(15)}`,
      `XP-20261201-000001 due ${at(30)}`,
      `XP-20261201-000002 warning ${at(15)}`,
      `XP-20261201-000002 due ${at(30)}`,
    ]);
  });

  it('passes when every alarm fired once within the tolerance and every alert was delivered', () => {
    const verdict = judgeDrill(expectedAlarms(cases), allFired(2), allAlerts(), 5_000);
    expect(verdict).toMatchObject({ outcome: 'passed', alarmsExpected: 4, alarmsOnTime: 4, late: [], twice: [], alertsExpected: 4, alertsDelivered: 4, maxLatenessMs: 2_000, problems: [] });
    // A role without a webhook: the alert is recorded, and that is its delivery.
    expect(judgeDrill(expectedAlarms(cases), allFired(), allAlerts('not-configured'), 5_000).outcome).toBe('passed');
  });

  it('fails naming each clock that fired late, or not at all', () => {
    // The worker came back 20 s after the breaches were due: the warnings were superseded, the breaches late.
    const fired = allFired().filter((alarm) => alarm.alarm === 'due').map((alarm) => ({ ...alarm, at: at(50) }));
    const verdict = judgeDrill(expectedAlarms(cases), fired, allAlerts().filter((alert) => alert.reason === 'clock-breach'), 5_000);
    expect(verdict.outcome).toBe('failed');
    expect(verdict.alarmsOnTime).toBe(0);
    expect(verdict.late.map((alarm) => [alarm.reference, alarm.alarm, alarm.lateMs])).toEqual([
      ['XP-20261201-000001', 'warning', null],
      ['XP-20261201-000001', 'due', 20_000],
      ['XP-20261201-000002', 'warning', null],
      ['XP-20261201-000002', 'due', 20_000],
    ]);
    expect(verdict.problems).toContain(`XP-20261201-000001: the breach of c1 due ${at(30)} fired 20.0 s late`);
    expect(verdict.problems).toContain(`XP-20261201-000002: the warning of c2 due ${at(15)} never fired`);
  });

  it('fails when an alarm fired twice, raised no alert, or its alert was not delivered', () => {
    const twice = judgeDrill(expectedAlarms(cases), [...allFired(), allFired()[1]], allAlerts(), 5_000);
    expect(twice.outcome).toBe('failed');
    expect(twice.twice).toEqual([{ reference: 'XP-20261201-000001', clock: 'c1', alarm: 'due', times: 2 }]);
    const silent = judgeDrill(expectedAlarms(cases), allFired(), allAlerts().slice(1), 5_000);
    expect(silent.problems).toEqual([`XP-20261201-000001: the warning of c1 raised no alert`]);
    const undelivered = judgeDrill(expectedAlarms(cases), allFired(), [...allAlerts().slice(1), alertFor('XP-20261201-000001', 'c1', 'clock-warning', 'retrying')], 5_000);
    expect(undelivered.outcome).toBe('failed');
    expect(undelivered.alertsDelivered).toBe(3);
    expect(undelivered.undeliveredAlerts).toEqual([{ id: 'XP-20261201-000001/c1/clock-warning', reference: 'XP-20261201-000001', reason: 'clock-warning', deliveryState: 'retrying' }]);
  });
});
