import { describe, expect, it } from '@jest/globals';
import { type RecordedEntry, whatIf } from '../../../src/domain/what-if.js';
import { policyWith } from '../../support/policies.js';

const hour = 3_600_000;
const t0 = Date.parse('2026-11-02T09:00:00Z');
const at = (hours: number) => new Date(t0 + hours * hour).toISOString();

/** A web submission's clock: armed at t0 for 48 h, then what `rest` says. */
const timeline = (...rest: Array<Omit<RecordedEntry, 'sequence'>>): RecordedEntry[] =>
  [
    { type: 'received', at: at(0), details: {} },
    { type: 'clock-armed', at: at(0), details: { clock: 'digital-action-1', clockKind: 'digital-action', grade: null, label: 'web submission actioned (48 h)', startedAt: at(0), dueAt: at(48) } },
    ...rest,
  ].map((entry, index) => ({ ...entry, sequence: index + 1 }));

describe('what-if over recorded clocks', () => {
  const policy = policyWith('what-if-24h', { 'digital-action': { duration: { hours: 24 } } });

  it('keeps each clock’s start and pauses and changes only its length', () => {
    const cases = [
      { reference: 'XP-20261102-000001', area: 'urban' as const, timeline: timeline({ type: 'clock-met', at: at(30), details: { clock: 'digital-action-1', late: false } }) },
      // Paused for 10 h: under 24 h it was due at 34 h, and was met at 33 h.
      {
        reference: 'XP-20261102-000002',
        area: 'urban' as const,
        timeline: timeline(
          { type: 'clock-paused', at: at(2), details: { clock: 'digital-action-1', reason: 'victim-unavailable' } },
          { type: 'clock-resumed', at: at(12), details: { clock: 'digital-action-1', pausedMs: 10 * hour, dueAt: at(58) } },
          { type: 'clock-met', at: at(33), details: { clock: 'digital-action-1', late: false } },
        ),
      },
      // Breached at 48 h and met late: breached either way.
      {
        reference: 'XP-20261102-000003',
        area: 'urban' as const,
        timeline: timeline({ type: 'clock-breached', at: at(48), details: { clock: 'digital-action-1' } }, { type: 'clock-met', at: at(50), details: { clock: 'digital-action-1', late: true } }),
      },
      // Stopped at 20 h (the case no longer needed it): not breached under 24 h either.
      { reference: 'XP-20261102-000004', area: 'urban' as const, timeline: timeline({ type: 'clock-stopped', at: at(20), details: { clock: 'digital-action-1', reason: 'closed' } }) },
    ];
    const report = whatIf(cases, policy, t0 + 100 * hour);
    expect(report.wouldHaveBreached).toEqual([{ reference: 'XP-20261102-000001', clock: 'digital-action-1', dueAt: at(24), metAt: at(30) }]);
    expect(report.wouldHaveBeenOnTime).toEqual([]);
    expect(report.byKind).toEqual([
      { kind: 'digital-action', clocks: 4, recorded: { onTime: 3, breached: 1, onTimeShare: 0.75 }, whatIf: { onTime: 2, breached: 2, onTimeShare: 0.5 } },
    ]);
  });

  it('finds a clock that breached but would have been on time under a longer target', () => {
    const longer = policyWith('what-if-72h', { 'digital-action': { duration: { hours: 72 } } });
    const late = {
      reference: 'XP-20261102-000005',
      area: 'rural' as const,
      timeline: timeline({ type: 'clock-breached', at: at(48), details: { clock: 'digital-action-1' } }, { type: 'clock-met', at: at(60), details: { clock: 'digital-action-1', late: true } }),
    };
    expect(whatIf([late], longer, t0 + 100 * hour).wouldHaveBeenOnTime).toEqual([{ reference: 'XP-20261102-000005', clock: 'digital-action-1', dueAt: at(72), metAt: at(60) }]);
  });
});
