import { describe, expect, it } from '@jest/globals';
import { countsOfChange, type CountedCase, measuresFrom, type MiCount } from '../../../src/domain/mi.js';
import { PRESENCE_MAX_SPELL_HOURS, presenceCounts } from '../../../src/domain/presence.js';

const at = (iso: string) => new Date(iso);

describe('presence counted as supply', () => {
  it('cuts a spell at each hour, each piece at its own start, the pieces adding up to the spell', () => {
    const counts = presenceCounts('contact-centre', 'available', at('2026-12-07T08:40:00Z'), at('2026-12-07T10:15:30Z'));
    expect(counts.map((count) => [count.at, count.totalMs])).toEqual([
      ['2026-12-07T08:40:00.000Z', 20 * 60_000],
      ['2026-12-07T09:00:00.000Z', 60 * 60_000],
      ['2026-12-07T10:00:00.000Z', 15 * 60_000 + 30_000],
    ]);
    expect(new Set(counts.map((count) => `${count.team} ${count.measure} ${String(count.dimension)} ${count.count}`))).toEqual(new Set(['contact-centre presence-available null 0']));
  });

  it('counts nothing for signing out, for an empty spell, or past the longest spell', () => {
    expect(presenceCounts('contact-centre', 'signed-out', at('2026-12-07T08:00:00Z'), at('2026-12-07T09:00:00Z'))).toEqual([]);
    expect(presenceCounts('contact-centre', 'busy', at('2026-12-07T08:00:00Z'), at('2026-12-07T08:00:00Z'))).toEqual([]);
    const forgotten = presenceCounts('contact-centre', 'away', at('2026-12-07T08:30:00Z'), at('2026-12-09T08:30:00Z'));
    expect(forgotten.reduce((sum, count) => sum + count.totalMs, 0)).toBe(PRESENCE_MAX_SPELL_HOURS * 3_600_000);
    expect(forgotten.at(-1)).toEqual(expect.objectContaining({ at: '2026-12-07T20:00:00.000Z', totalMs: 30 * 60_000, measure: 'presence-away' }));
  });

  it('reads staff hours and the wait to a first action from the counts', () => {
    const counts: MiCount[] = [
      { measure: 'presence-available', dimension: '1|9', count: 0, totalMs: 90 * 60_000 },
      { measure: 'presence-available', dimension: '1|10', count: 0, totalMs: 30 * 60_000 },
      { measure: 'presence-busy', dimension: '1|9', count: 0, totalMs: 45 * 60_000 },
      { measure: 'first-action', dimension: '1|9', count: 3, totalMs: 30 * 60_000 },
    ];
    expect(measuresFrom(counts).supply).toEqual({ availableHours: 2, busyHours: 0.75, awayHours: 0, firstActions: 3, meanMinutesToFirstAction: 10 });
    expect(measuresFrom([]).supply).toEqual({ availableHours: 0, busyHours: 0, awayHours: 0, firstActions: 0, meanMinutesToFirstAction: null });
  });

  it("counts a case's wait at its arrival, once, when a person first acts on it", () => {
    const counted: CountedCase = { team: 'contact-centre', channel: 'web-form', area: 'urban', receivedAt: '2026-12-07T09:10:00.000Z', vulnerable: false, riskMarker: null, screeningReasons: [], closedAt: null } as unknown as CountedCase;
    const first = countsOfChange(counted, [], '2026-12-07T09:55:00.000Z', '2026-12-07T09:55:00.000Z');
    expect(first).toEqual([{ at: '2026-12-07T09:10:00.000Z', team: 'contact-centre', measure: 'first-action', dimension: null, count: 1, totalMs: 45 * 60_000 }]);
    expect(countsOfChange(counted, [], '2026-12-07T10:30:00.000Z')).toEqual([]);
  });
});
