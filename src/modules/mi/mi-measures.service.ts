import { Injectable } from '@nestjs/common';
import { DRILL_TEAM } from '../../domain/continuity-drill.js';
import { defaultOversightTargets, type Measures, measureRows, measuresFrom, type MiCount, type OversightTargets } from '../../domain/mi.js';
import { type ContactPolicy } from '../../domain/policy.js';
import { datasetColumns, datasetRows, type DatasetScope } from '../../domain/mi-dataset.js';
import { type RawBuilder, sql } from 'kysely';
import { PRESENCE_MAX_SPELL_HOURS, presenceMeasure } from '../../domain/presence.js';
import { countRows, StoreDatabase } from '../platform/database/store-db.js';
import { PolicyService } from '../policy/policy.service.js';

export const groupings = ['day', 'week', 'month'] as const;
export type Grouping = (typeof groupings)[number];

export interface MiQuery {
  /** First day, in the policy's time zone (YYYY-MM-DD). */
  from: string;
  /** The day after the last (exclusive). */
  to: string;
  groupBy: Grouping;
  team?: string;
}

export interface MiPeriod {
  start: string;
  end: string;
  measures: Measures;
}

export interface MiReport {
  from: string;
  to: string;
  timeZone: string;
  groupBy: Grouping;
  team: string | null;
  targets: OversightTargets;
  periods: MiPeriod[];
  total: MiPeriod & { demandProfile: { byHourOfDay: number[]; byWeekday: number[] }; supplyProfile: SupplyProfile };
  /** The period of the same length just before, for comparison. */
  previous: MiPeriod;
  /** Alerts that no one has acknowledged and whose case is still open, now. */
  unacknowledgedAlertsNow: number;
}

/** Supply beside demand by hour of the day (24 each, midnight first, in the policy's time zone), over the whole range. */
export interface SupplyProfile {
  /** Person-hours recorded as available in that hour of the day. */
  availableHoursByHourOfDay: number[];
  busyHoursByHourOfDay: number[];
  /** Contacts that arrived in that hour per person-hour available then; null with no one available. */
  contactsPerAvailableHourByHourOfDay: Array<number | null>;
  /** For the cases that arrived in that hour, the mean minutes to a person's first action; null when none has been acted on. */
  meanMinutesToFirstActionByHourOfDay: Array<number | null>;
}

interface CountRow {
  period: string | Date;
  measure: string;
  dimension: string;
  count: number;
  total_ms: number;
}

const toCounts = (rows: CountRow[]): MiCount[] => rows.map((row) => ({ measure: row.measure, dimension: row.dimension, count: Number(row.count), totalMs: Number(row.total_ms) }));
const iso = (value: string | Date) => new Date(value).toISOString();

const isFirstOfMonth = (day: string) => day.endsWith('-01');
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The authority's figures, read from the counts the case store keeps (`mi_count`), by month when
 * the question is in whole months and by day otherwise: a year of a large force by month is some
 * thousands of rows, summed in one query. `policy` gives the time zone, the targets and the cost of
 * a staff hour; the days are those of the counts (`mi_setting`, which the policy keeps equal to its own).
 */
export async function miReport(store: StoreDatabase, policy: Pick<ContactPolicy, 'calendar' | 'targets' | 'effort'>, query: MiQuery): Promise<MiReport> {
  const timeZone = policy.calendar.timeZone;
  const costPerStaffHour = policy.effort?.costPerStaffHour ?? null;
  const team = query.team ?? null;
  const previousFrom = addDays(query.from, -daysBetween(query.from, query.to));
  const grainFor = (from: string, to: string, groupBy: Grouping) => (groupBy === 'month' && isFirstOfMonth(from) && isFirstOfMonth(to) ? 'month' : 'day');
  const teamHolds = (column: RawBuilder<unknown>) => sql<boolean>`((${team}::varchar is null and ${column} <> ${DRILL_TEAM}) or ${column} = ${team}::varchar)`;
  const counts = (from: string, to: string, groupBy: Grouping) =>
    // SQL of its own (listed in docs/database.md): periods cut with date_trunc. Continuity drills'
    // synthetic cases are no one's demand: left out unless their team is asked for. The spells
    // of presence still going on are counted as far as now, cut at each hour as ended ones are
    // (`presenceCounts`), so that the supply of today reads before anyone changes state.
    store.run(
      sql<CountRow>`select date_trunc(${groupBy}, period::timestamp)::date::text as period, measure, dimension, sum(count)::float8 as count, sum(total_ms)::float8 as total_ms
         from (
           select period, measure, dimension, count, total_ms from mi_count
             where grain = ${grainFor(from, to, groupBy)} and period >= ${from}::date and period < ${to}::date and ${teamHolds(sql.ref('team'))}
           union all
           select mi_local(piece)::date, 'presence-' || state, extract(isodow from mi_local(piece))::int || '|' || extract(hour from mi_local(piece))::int, 0,
                  (extract(epoch from least(date_trunc('hour', piece) + interval '1 hour', spell_end) - piece) * 1000)::bigint
             from (select s.state, greatest(h, s.since) as piece, least(clock_timestamp(), s.since + make_interval(hours => ${PRESENCE_MAX_SPELL_HOURS})) as spell_end
                     from staff_presence s
                     cross join generate_series(date_trunc('hour', s.since), least(clock_timestamp(), s.since + make_interval(hours => ${PRESENCE_MAX_SPELL_HOURS})), interval '1 hour') as h
                     where s.state <> 'signed-out' and ${teamHolds(sql.ref('s.team'))}) as pieces
             where piece < spell_end and mi_local(piece)::date >= ${from}::date and mi_local(piece)::date < ${to}::date
         ) as counted
         group by 1, 2, 3`,
    );
  const [current, previous, open, bounds] = await Promise.all([
    counts(query.from, query.to, query.groupBy),
    counts(previousFrom, query.from, 'month'),
    store.db
      .selectFrom('case_alert')
      .select(countRows().as('open'))
      .where('acknowledged_at', 'is', null)
      .where('closed_at', 'is', null)
      .where('team', team === null ? '<>' : '=', team ?? DRILL_TEAM)
      .execute(),
    // Each period's first day (the first may be before `from`), and the instant each day begins in the policy's time zone.
    // SQL of its own (listed in docs/database.md): a series of days, each day's start in the policy's time zone.
    store.run(
      sql<{ day: string; starts: Date | string; first: boolean }>`select d::date::text as day, (d::timestamp at time zone ${timeZone}::text) as starts, true as first
         from generate_series(date_trunc(${query.groupBy}, ${query.from}::date), ${query.to}::date - 1, ('1 ' || ${query.groupBy}::text)::interval) as d
       union all
       select x::text, (x::timestamp at time zone ${timeZone}::text), false from unnest(array[${query.from}::date, ${query.to}::date, ${previousFrom}::date]) as x`,
    ),
  ]);
  const instant = new Map(bounds.map((row) => [row.day, iso(row.starts)]));
  const keyOf = (day: string) => (day < query.from ? query.from : day);
  const byPeriod = new Map<string, CountRow[]>(bounds.filter((row) => row.first).map((row) => [keyOf(row.day), []]));
  for (const row of current) if (row.measure !== 'contacts-hour') byPeriod.get(keyOf(String(row.period)))?.push(row);
  const starts = [...byPeriod.keys()].sort();
  const periods: MiPeriod[] = starts.map((day, index) => ({
    start: instant.get(day)!,
    end: instant.get(starts[index + 1] ?? query.to)!,
    measures: measuresFrom(toCounts(byPeriod.get(day)!), costPerStaffHour),
  }));
  const byHourOfDay = Array.from({ length: 24 }, () => 0);
  const byWeekday = Array.from({ length: 7 }, () => 0);
  for (const row of current.filter((candidate) => candidate.measure === 'contacts-hour')) {
    const [weekday, hour] = row.dimension.split('|').map(Number);
    byHourOfDay[hour] += Number(row.count);
    byWeekday[weekday - 1] += Number(row.count);
  }
  const supplyProfile = supplyProfileOf(current, byHourOfDay);
  const from = instant.get(query.from)!;
  const to = instant.get(query.to)!;
  return {
    from,
    to,
    timeZone,
    groupBy: query.groupBy,
    team,
    targets: policy.targets ?? defaultOversightTargets,
    periods,
    total: {
      start: from,
      end: to,
      measures: measuresFrom(toCounts(current.filter((row) => row.measure !== 'contacts-hour')), costPerStaffHour),
      demandProfile: { byHourOfDay, byWeekday },
      supplyProfile,
    },
    previous: {
      start: instant.get(previousFrom)!,
      end: from,
      measures: measuresFrom(toCounts(previous.filter((row) => row.measure !== 'contacts-hour')), costPerStaffHour),
    },
    unacknowledgedAlertsNow: open[0].open,
  };
}

/** Supply beside demand by hour of the day, from the counts by hour of the week. */
function supplyProfileOf(rows: readonly CountRow[], contactsByHourOfDay: readonly number[]): SupplyProfile {
  const byHour = (measure: string, field: 'count' | 'total_ms') => {
    const sums = Array.from({ length: 24 }, () => 0);
    for (const row of rows) if (row.measure === measure) sums[Number(row.dimension.split('|')[1])] += Number(row[field]);
    return sums;
  };
  const hours = (measure: string) => byHour(measure, 'total_ms').map((ms) => ms / 3_600_000);
  const available = hours(presenceMeasure('available'));
  const waits = byHour('first-action', 'count');
  const waitedMinutes = byHour('first-action', 'total_ms').map((ms) => ms / 60_000);
  return {
    availableHoursByHourOfDay: available,
    busyHoursByHourOfDay: hours(presenceMeasure('busy')),
    contactsPerAvailableHourByHourOfDay: contactsByHourOfDay.map((contacts, hour) => (available[hour] === 0 ? null : contacts / available[hour])),
    meanMinutesToFirstActionByHourOfDay: waits.map((count, hour) => (count === 0 ? null : waitedMinutes[hour] / count)),
  };
}

/** The figures for the API, under the current policy. */
@Injectable()
export class MiMeasures {
  constructor(
    private readonly store: StoreDatabase,
    private readonly policies: PolicyService,
  ) {}

  report(query: MiQuery): Promise<MiReport> {
    return miReport(this.store, this.policies.current, query);
  }

  /** The report as CSV: one row per figure, per period, the whole range and the one before. */
  csv(report: MiReport): string {
    const lines = ['scope,period_start,period_end,measure,value'];
    for (const [scope, period] of scopesOf(report)) {
      for (const row of measureRows(period.measures)) lines.push([scope, period.start, period.end, row.measure, row.value === null ? '' : String(row.value)].map(csvField).join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  /**
   * The report as the open dataset another force can set beside its own: the same numbers, each
   * row with the force's code and the unit its measure's definition gives (`datasetSchema`).
   */
  datasetCsv(report: MiReport, force: string): string {
    const lines: string[] = [datasetColumns.join(',')];
    for (const [scope, period] of scopesOf(report)) {
      for (const row of datasetRows(force, scope, period)) lines.push(datasetColumns.map((column) => csvField(row[column] === null ? '' : String(row[column]))).join(','));
    }
    return `${lines.join('\n')}\n`;
  }
}

/** The report's periods with their scope, as both CSVs list them: each period, the whole range, the one before. */
const scopesOf = (report: MiReport): Array<[DatasetScope, MiPeriod]> => [
  ...report.periods.map((period): [DatasetScope, MiPeriod] => ['period', period]),
  ['total', report.total],
  ['previous', report.previous],
];

/** A CSV field, quoted when it must be; a leading formula character is neutralised for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
