import { describe, expect, it } from '@jest/globals';
import { addDuration, addWorkingDays, describeDuration, localDate, type WorkingCalendar } from '../../../src/domain/working-time.js';

const england: WorkingCalendar = {
  timeZone: 'Europe/London',
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: ['2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29'],
};
const at = (iso: string) => Date.parse(iso);
const plus = (iso: string, days: number) => new Date(addWorkingDays(at(iso), days, england)).toISOString();

describe('working days (Victims’ Code arithmetic)', () => {
  it('counts five working days over a weekend to the same time of day', () => {
    expect(plus('2026-11-23T10:00:00.000Z', 5)).toBe('2026-11-30T10:00:00.000Z'); // Monday to Monday
    expect(plus('2026-11-26T16:30:00.000Z', 1)).toBe('2026-11-27T16:30:00.000Z'); // Thursday to Friday
    expect(plus('2026-11-27T16:30:00.000Z', 1)).toBe('2026-11-30T16:30:00.000Z'); // Friday to Monday
  });

  it('skips bank holidays', () => {
    // Friday 18 December: 21, 22, 23, 24, then 25 and 28 are bank holidays, so the fifth is the 29th.
    expect(plus('2026-12-18T15:00:00.000Z', 5)).toBe('2026-12-29T15:00:00.000Z');
  });

  it('starts a decision made on a non-working day at the next working day', () => {
    // Saturday: one working day is the whole of Monday, so it falls due at 00:00 on Tuesday.
    expect(plus('2026-11-28T10:00:00.000Z', 1)).toBe('2026-12-01T00:00:00.000Z');
    expect(plus('2026-12-25T09:00:00.000Z', 1)).toBe('2026-12-30T00:00:00.000Z');
  });

  it('keeps local time across the change to summer time, in the policy’s zone', () => {
    // Thursday 25 March 2027 09:00 GMT; Good Friday and Easter Monday are holidays; Tuesday is BST.
    expect(plus('2027-03-25T09:00:00.000Z', 1)).toBe('2027-03-30T08:00:00.000Z');
    expect(localDate(at('2027-03-29T23:30:00.000Z'), 'Europe/London')).toBe('2027-03-30');
  });

  it('adds elapsed spans exactly and reads them back as a person would', () => {
    expect(addDuration(at('2026-11-23T10:00:00.000Z'), { hours: 48 }, england)).toBe(at('2026-11-25T10:00:00.000Z'));
    expect(addDuration(at('2026-11-23T10:00:00.000Z'), { minutes: 40 }, england)).toBe(at('2026-11-23T10:40:00.000Z'));
    expect(describeDuration({ hours: 48 })).toBe('48 h');
    expect(describeDuration({ minutes: 40 })).toBe('40 min');
    expect(describeDuration({ workingDays: 5 })).toBe('5 working days');
    expect(describeDuration({ days: 28 })).toBe('28 days');
    expect(describeDuration({ seconds: 5 })).toBe('5 s');
  });
});
