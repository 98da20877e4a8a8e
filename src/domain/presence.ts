import { type MiDelta } from './mi.js';

/**
 * Staff presence: the supply side of supply against demand. Each member of staff says what they are
 * doing as they sign in and as it changes; the time spent in each state is counted, per hour, as
 * management information beside the contacts arriving in that hour.
 */
export const presenceStates = ['available', 'busy', 'away', 'signed-out'] as const;
export type PresenceState = (typeof presenceStates)[number];

/** The states whose time is counted (signed out is no one's time). */
export const countedPresenceStates = ['available', 'busy', 'away'] as const satisfies readonly PresenceState[];

/** The measure a state's time is counted under, by hour of the week. */
export const presenceMeasure = (state: (typeof countedPresenceStates)[number]) => `presence-${state}` as const;

/**
 * The longest spell in one state that counts: past it, the person is taken to have gone without
 * saying so (a shift ended without signing out), and the rest is not counted as anyone's time.
 */
export const PRESENCE_MAX_SPELL_HOURS = 12;

const HOUR_MS = 3_600_000;

/**
 * The counts a spell in one state adds: its time cut at each hour (hours in UTC, which are the
 * force's hours wherever its offset is whole hours, as it is across the UK), each piece counted at
 * its hour of the week. Nothing for signed out, for an empty spell, or past the longest spell.
 */
export function presenceCounts(team: string, state: PresenceState, since: Date, until: Date): MiDelta[] {
  if (state === 'signed-out') return [];
  const start = since.getTime();
  const end = Math.min(until.getTime(), start + PRESENCE_MAX_SPELL_HOURS * HOUR_MS);
  const counts: MiDelta[] = [];
  for (let from = start; from < end; from = Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS) {
    const to = Math.min(end, Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS);
    counts.push({ at: new Date(from).toISOString(), team, measure: presenceMeasure(state), dimension: null, count: 0, totalMs: to - from });
  }
  return counts;
}
