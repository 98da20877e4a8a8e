/**
 * Durations as a force's policy states them, and the working-day arithmetic of the Victims' Code.
 * Pure: local dates come from `Intl` with the policy's time zone, never from the machine's zone.
 */

/** A span of elapsed time, or a number of working days (weekends and bank holidays skipped). */
export type ElapsedDuration = { seconds?: number; minutes?: number; hours?: number; days?: number };
export type PolicyDuration = ElapsedDuration | { workingDays: number };

export interface WorkingCalendar {
  /** IANA zone whose local dates decide what a working day is, for example `Europe/London`. */
  timeZone: string;
  /** ISO weekdays that are working days: 1 Monday to 7 Sunday. */
  workingWeekdays: number[];
  /** Local dates (`YYYY-MM-DD`) that are not working days: bank and public holidays. */
  holidays: string[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const isWorkingDays = (duration: PolicyDuration): duration is { workingDays: number } => 'workingDays' in duration;

/** The elapsed milliseconds of a span (not defined for working days, which depend on the start). */
export function spanMs(duration: ElapsedDuration): number {
  return (duration.seconds ?? 0) * SECOND + (duration.minutes ?? 0) * MINUTE + (duration.hours ?? 0) * HOUR + (duration.days ?? 0) * DAY;
}

/** How a duration reads to a person: "48 h", "40 min", "5 working days". */
export function describeDuration(duration: PolicyDuration): string {
  if (isWorkingDays(duration)) return `${duration.workingDays} working day${duration.workingDays === 1 ? '' : 's'}`;
  const ms = spanMs(duration);
  if (ms % DAY === 0 && ms >= 7 * DAY) return `${ms / DAY} days`;
  if (ms % HOUR === 0 && ms >= HOUR) return `${ms / HOUR} h`;
  if (ms % MINUTE === 0 && ms >= MINUTE) return `${ms / MINUTE} min`;
  return `${ms / SECOND} s`;
}

/** The moment a duration after `startMs` ends. */
export function addDuration(startMs: number, duration: PolicyDuration, calendar: WorkingCalendar): number {
  return isWorkingDays(duration) ? addWorkingDays(startMs, duration.workingDays, calendar) : startMs + spanMs(duration);
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function localTime(ms: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((ms % SECOND) + SECOND) % SECOND,
  };
}

const wallClockMs = (local: LocalTime) => Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);

/** The zone's offset from UTC at `ms`. */
const offsetAt = (ms: number, timeZone: string) => wallClockMs(localTime(ms, timeZone)) - ms;

/** The UTC moment of a local wall-clock time (a time skipped by a clock change resolves forwards). */
function fromLocalTime(local: LocalTime, timeZone: string): number {
  const wall = wallClockMs(local);
  const guess = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(guess, timeZone);
}

const dateKey = (local: Pick<LocalTime, 'year' | 'month' | 'day'>) =>
  `${String(local.year).padStart(4, '0')}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;

/** The next calendar day (local date arithmetic, no zone involved). */
function nextDay(local: LocalTime): LocalTime {
  const next = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
  return { ...local, year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

export function isWorkingDay(local: Pick<LocalTime, 'year' | 'month' | 'day'>, calendar: WorkingCalendar): boolean {
  const weekday = ((new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7) + 1;
  return calendar.workingWeekdays.includes(weekday) && !calendar.holidays.includes(dateKey(local));
}

/**
 * `n` working days after `startMs`: the same local time of day on the n-th working day after the
 * start's local date. A start on a day that is not a working day counts from 00:00 on the next
 * working day, so a decision on Saturday with 1 working day falls due at the end of Monday.
 */
export function addWorkingDays(startMs: number, n: number, calendar: WorkingCalendar): number {
  let local = localTime(startMs, calendar.timeZone);
  if (!isWorkingDay(local, calendar)) {
    do local = nextDay(local);
    while (!isWorkingDay(local, calendar));
    local = { ...local, hour: 0, minute: 0, second: 0, millisecond: 0 };
  }
  for (let counted = 0; counted < n; ) {
    local = nextDay(local);
    if (isWorkingDay(local, calendar)) counted += 1;
  }
  return fromLocalTime(local, calendar.timeZone);
}

/** The local date of a moment, `YYYY-MM-DD`, in the calendar's zone. */
export const localDate = (ms: number, timeZone: string) => dateKey(localTime(ms, timeZone));
