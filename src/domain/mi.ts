import { type CaseProjection } from './case-projection.js';
import { type Channel, channelCatalogue, type ChannelFamily } from './channels.js';
import { type countedPresenceStates, presenceMeasure } from './presence.js';
import { type TimelineEntry } from './timeline.js';

/**
 * The police authority's measures, from counts. Pure: the case store keeps the counts (per hour,
 * team, measure and dimension); these functions turn a period's counts into the figures the
 * authority reads, speed always beside quality. Definitions: docs/management-information.md.
 */

/** The targets the figures are read against: policy data (a policy without them takes these). */
export interface OversightTargets {
  /** Share of clocks met on time, every kind. */
  onTimeShare: number;
  /** Share of attendances within the grade's target. */
  attendanceOnTimeShare: number;
  /** Largest acceptable share of first contact resolutions whose caller came back within 7 days. */
  recontactShareAtMost: number;
  /** Alerts acknowledged within this many minutes (the median is read against it). */
  acknowledgeWithinMinutes: number;
}

export const defaultOversightTargets: OversightTargets = { onTimeShare: 0.9, attendanceOnTimeShare: 0.9, recontactShareAtMost: 0.1, acknowledgeWithinMinutes: 15 };

/** A channel's family in the catalogue (calls, written and digital contact, or neither), for "digital against phone". */
const familyOf = (channel: string): ChannelFamily | undefined => channelCatalogue[channel as Channel]?.family;

/** One row of counts, as the case store keeps them. */
export interface MiCount {
  measure: string;
  dimension: string;
  count: number;
  totalMs: number;
}

/** The bucket bounds durations are counted in, in minutes (the last bucket, `more`, is open). */
export const durationBucketsMinutes = [1, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440, 2880, 4320, 7200, 10080, 20160, 43200] as const;

/** The bucket a duration falls in, as the case store names it (`le:60`, or `more`). */
export function durationBucket(ms: number): string {
  const bound = durationBucketsMinutes.find((minutes) => ms <= minutes * 60_000);
  return bound === undefined ? 'more' : `le:${bound}`;
}

/**
 * The `q` quantile of durations counted in buckets, as the bucket's upper bound in minutes: "at
 * most N minutes". Null when nothing was counted, or when it lies past the last bound (30 days).
 */
export function bucketQuantile(buckets: ReadonlyMap<string, number>, q: number): number | null {
  const total = [...buckets.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const bound of durationBucketsMinutes) {
    seen += buckets.get(`le:${bound}`) ?? 0;
    if (seen >= q * total) return bound;
  }
  return null;
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export interface ClockFigures {
  metOnTime: number;
  metLate: number;
  breached: number;
  /** Ended because the case no longer needed them (a regrade, a closure): counted apart, not as met. */
  stopped: number;
  onTimeShare: number | null;
  medianMinutesToMeet: number | null;
  p90MinutesToMeet: number | null;
}

export interface Measures {
  demand: { contacts: number; byChannel: Record<string, number>; phone: number; digital: number; other: number };
  screening: { irMarked: number; irShareOfDigital: number | null; vulnerableAtFirstContact: number; repeatCallers: number };
  gradeMix: Record<string, number>;
  clocks: Record<string, ClockFigures>;
  pausedByReason: Record<string, { pauses: number; pausedMinutes: number }>;
  attendance: Record<string, { onTime: number; late: number; onTimeShare: number | null }>;
  resolution: { closed: number; firstContactResolution: number; fcrShare: number | null; recontactedWithin7Days: number; recontactShare: number | null };
  outcomes: { byOutcome: Record<string, number>; byClosingCategory: Record<string, number> };
  escalations: {
    raisedByKind: Record<string, number>;
    raisedByLevel: Record<string, number>;
    acknowledged: number;
    medianMinutesToAcknowledge: number | null;
    p90MinutesToAcknowledge: number | null;
  };
  downgrades: { proposed: number; approved: number; refused: number };
  effort: {
    /** Closed cases whose handling time was kept. */
    cases: number;
    handlingMinutes: number;
    meanMinutesPerCase: number | null;
    byChannel: Record<string, EffortFigures>;
    byOutcome: Record<string, EffortFigures>;
    /** The policy's cost of a staff hour, times the mean handling time; null without a cost. */
    meanCostPerCase: number | null;
  };
  supply: {
    /** Staff time in each presence state, in person-hours, as people recorded it. */
    availableHours: number;
    busyHours: number;
    awayHours: number;
    /** Cases a person first acted on, counted in the period they arrived in. */
    firstActions: number;
    /** From a case's arrival to the first action a person took on it. */
    meanMinutesToFirstAction: number | null;
  };
  satisfaction: {
    /** Closed cases whose caller was asked, by how; and those not asked, by why. */
    asked: number;
    askedByRoute: Record<string, number>;
    notAskedByReason: Record<string, number>;
    /** Answers taken in the period, and their share of those asked in it. */
    answered: number;
    responseShare: number | null;
    meanRating: number | null;
    /** Answers of 4 or 5 (satisfied, very satisfied) as a share of the answers. */
    satisfiedShare: number | null;
    byRating: Record<string, number>;
    byChannel: Record<string, RatingFigures>;
    byOutcome: Record<string, RatingFigures>;
    byFirstContactResolution: Record<string, RatingFigures>;
  };
}

export interface RatingFigures {
  answered: number;
  meanRating: number | null;
}

export interface EffortFigures {
  cases: number;
  meanMinutesPerCase: number | null;
}

const add = (record: Record<string, number>, key: string, count: number) => {
  record[key] = (record[key] ?? 0) + count;
};

/** A period's figures from its counts; a contact's cost from the policy's cost of a staff hour, when it has one. */
export function measuresFrom(counts: readonly MiCount[], costPerStaffHour: number | null = null): Measures {
  const of = (measure: string) => counts.filter((row) => row.measure === measure);
  const sum = (rows: readonly MiCount[]) => rows.reduce((total, row) => total + row.count, 0);
  const byDimension = (measure: string) => {
    const record: Record<string, number> = {};
    for (const row of of(measure)) add(record, row.dimension, row.count);
    return record;
  };

  const byChannel = byDimension('contacts');
  const contacts = sum(of('contacts'));
  const phone = Object.entries(byChannel).reduce((total, [channel, count]) => total + (familyOf(channel) === 'phone' ? count : 0), 0);
  const digital = Object.entries(byChannel).reduce((total, [channel, count]) => total + (familyOf(channel) === 'digital' ? count : 0), 0);
  const screening = byDimension('screening');

  const kinds = new Set([...of('clock-met-on-time'), ...of('clock-met-late'), ...of('clock-breached'), ...of('clock-stopped')].map((row) => row.dimension));
  const metOnTime = byDimension('clock-met-on-time');
  const metLate = byDimension('clock-met-late');
  const breached = byDimension('clock-breached');
  const stopped = byDimension('clock-stopped');
  const clocks: Record<string, ClockFigures> = {};
  for (const kind of [...kinds].sort()) {
    const buckets = new Map<string, number>();
    for (const row of of('clock-time-to-meet').filter((candidate) => candidate.dimension.startsWith(`${kind}|`))) {
      const bucket = row.dimension.slice(kind.length + 1);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + row.count);
    }
    const onTime = metOnTime[kind] ?? 0;
    const late = metLate[kind] ?? 0;
    clocks[kind] = {
      metOnTime: onTime,
      metLate: late,
      breached: breached[kind] ?? 0,
      stopped: stopped[kind] ?? 0,
      onTimeShare: share(onTime, onTime + late),
      medianMinutesToMeet: bucketQuantile(buckets, 0.5),
      p90MinutesToMeet: bucketQuantile(buckets, 0.9),
    };
  }

  const pausedByReason: Measures['pausedByReason'] = {};
  for (const row of of('clock-paused')) {
    const current = pausedByReason[row.dimension] ?? { pauses: 0, pausedMinutes: 0 };
    pausedByReason[row.dimension] = { pauses: current.pauses + row.count, pausedMinutes: current.pausedMinutes + row.totalMs / 60_000 };
  }

  const attendance: Measures['attendance'] = {};
  for (const row of of('attendance')) {
    const [grade, area, timing] = row.dimension.split('|');
    const key = `grade ${grade} ${area}`;
    const current = attendance[key] ?? { onTime: 0, late: 0, onTimeShare: null };
    if (timing === 'on-time') current.onTime += row.count;
    else current.late += row.count;
    current.onTimeShare = share(current.onTime, current.onTime + current.late);
    attendance[key] = current;
  }

  const fcr = byDimension('fcr');
  const closed = (fcr.true ?? 0) + (fcr.false ?? 0);
  const recontacted = sum(of('fcr-recontacted'));

  const raisedByKind: Record<string, number> = {};
  const raisedByLevel: Record<string, number> = {};
  for (const row of of('alerts-raised')) {
    const [kind, level] = row.dimension.split('|');
    add(raisedByKind, kind, row.count);
    add(raisedByLevel, level, row.count);
  }
  const ackBuckets = new Map<string, number>();
  for (const row of of('alert-time-to-acknowledge')) {
    const bucket = row.dimension.split('|')[1];
    ackBuckets.set(bucket, (ackBuckets.get(bucket) ?? 0) + row.count);
  }
  const downgrades = byDimension('downgrades');

  const handling = of('handling');
  const handlingMinutes = handling.reduce((total, row) => total + row.totalMs, 0) / 60_000;
  const handled = sum(handling);
  const mean = (cases: number, minutes: number) => (cases === 0 ? null : minutes / cases);
  const effortBy = (part: 0 | 1) => {
    const totals: Record<string, { cases: number; minutes: number }> = {};
    for (const row of handling) {
      const key = row.dimension.split('|')[part];
      const current = totals[key] ?? { cases: 0, minutes: 0 };
      totals[key] = { cases: current.cases + row.count, minutes: current.minutes + row.totalMs / 60_000 };
    }
    return Object.fromEntries(Object.entries(totals).map(([key, total]) => [key, { cases: total.cases, meanMinutesPerCase: mean(total.cases, total.minutes) }]));
  };
  const meanMinutesPerCase = mean(handled, handlingMinutes);
  const hoursIn = (state: (typeof countedPresenceStates)[number]) => of(presenceMeasure(state)).reduce((total, row) => total + row.totalMs, 0) / 3_600_000;
  const firstActions = of('first-action');
  const firstActionMinutes = firstActions.reduce((total, row) => total + row.totalMs, 0) / 60_000;

  const decided = of('survey-decided');
  const askedByRoute: Record<string, number> = {};
  const notAskedByReason: Record<string, number> = {};
  for (const row of decided) {
    if (row.dimension.startsWith('not-asked:')) add(notAskedByReason, row.dimension.slice('not-asked:'.length), row.count);
    else add(askedByRoute, row.dimension, row.count);
  }
  const asked = Object.values(askedByRoute).reduce((total, count) => total + count, 0);
  // Each answer's dimension: channel|outcome|first contact resolution|rating.
  const answers = of('survey-rating').map((row) => {
    const [channel, outcome, fcr, rating] = row.dimension.split('|');
    return { channel, outcome, fcr, rating: Number(rating), count: row.count };
  });
  const ratingOf = (rows: typeof answers): RatingFigures => {
    const answered = rows.reduce((total, row) => total + row.count, 0);
    return { answered, meanRating: answered === 0 ? null : rows.reduce((total, row) => total + row.rating * row.count, 0) / answered };
  };
  const ratingBy = (key: 'channel' | 'outcome' | 'fcr') =>
    Object.fromEntries([...new Set(answers.map((row) => row[key]))].sort().map((value) => [value, ratingOf(answers.filter((row) => row[key] === value))]));
  const overall = ratingOf(answers);
  const byRating: Record<string, number> = {};
  for (const row of answers) add(byRating, String(row.rating), row.count);

  return {
    demand: { contacts, byChannel, phone, digital, other: contacts - phone - digital },
    screening: {
      irMarked: screening.ir ?? 0,
      irShareOfDigital: share(screening.ir ?? 0, digital),
      vulnerableAtFirstContact: screening.vulnerable ?? 0,
      repeatCallers: screening['repeat-caller'] ?? 0,
    },
    gradeMix: byDimension('first-grade'),
    clocks,
    pausedByReason,
    attendance,
    resolution: {
      closed,
      firstContactResolution: fcr.true ?? 0,
      fcrShare: share(fcr.true ?? 0, closed),
      recontactedWithin7Days: recontacted,
      recontactShare: share(recontacted, fcr.true ?? 0),
    },
    outcomes: { byOutcome: byDimension('closed-outcome'), byClosingCategory: byDimension('closed-category') },
    escalations: {
      raisedByKind,
      raisedByLevel,
      acknowledged: sum(of('alerts-acknowledged')),
      medianMinutesToAcknowledge: bucketQuantile(ackBuckets, 0.5),
      p90MinutesToAcknowledge: bucketQuantile(ackBuckets, 0.9),
    },
    downgrades: { proposed: downgrades.proposed ?? 0, approved: downgrades.approved ?? 0, refused: downgrades.refused ?? 0 },
    effort: {
      cases: handled,
      handlingMinutes,
      meanMinutesPerCase,
      byChannel: effortBy(0),
      byOutcome: effortBy(1),
      meanCostPerCase: costPerStaffHour === null || meanMinutesPerCase === null ? null : (meanMinutesPerCase / 60) * costPerStaffHour,
    },
    supply: {
      availableHours: hoursIn('available'),
      busyHours: hoursIn('busy'),
      awayHours: hoursIn('away'),
      firstActions: sum(firstActions),
      meanMinutesToFirstAction: mean(sum(firstActions), firstActionMinutes),
    },
    satisfaction: {
      asked,
      askedByRoute,
      notAskedByReason,
      answered: overall.answered,
      responseShare: share(overall.answered, asked),
      meanRating: overall.meanRating,
      satisfiedShare: share(answers.filter((row) => row.rating >= 4).reduce((total, row) => total + row.count, 0), overall.answered),
      byRating,
      byChannel: ratingBy('channel'),
      byOutcome: ratingBy('outcome'),
      byFirstContactResolution: ratingBy('fcr'),
    },
  };
}

/**
 * Measures as rows (period, measure, value), the form of the CSV: every number of the JSON, named
 * by its path, so that the two can be compared.
 */
export function measureRows(measures: Measures): Array<{ measure: string; value: number | null }> {
  const rows: Array<{ measure: string; value: number | null }> = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value === 'number') rows.push({ measure: path, value });
    else if (typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
  };
  walk(measures, '');
  return rows;
}

/**
 * A count a change adds to the management information: at a time (its day and month are taken in
 * the force's time zone by the store), for a team. A `dimension` of null stands for the hour of the
 * week at that time, which is also the force's local time.
 */
export interface MiDelta {
  at: string;
  team: string;
  measure: string;
  dimension: string | null;
  count: number;
  totalMs: number;
}

/** What the counts of a change need to know of its case, after the change. */
export type CountedCase = Pick<CaseProjection, 'team' | 'channel' | 'area' | 'receivedAt' | 'vulnerable' | 'riskMarker' | 'screeningReasons' | 'closedAt'>;

const elapsedMs = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * The counts one change adds, from its typed timeline entries: what each measure of
 * docs/management-information.md counts, decided here and written by the store in the same
 * statement as the change. (Recontact after a first contact resolution needs the callers of other
 * cases, so the store counts it at intake.) `firstActionAt`: when the change is the first a person
 * made to the case (known only under a policy that keeps effort), its time: the case's wait until
 * then is counted at its arrival, by the hour of the week it arrived in.
 */
export function countsOfChange(counted: CountedCase, entries: readonly TimelineEntry[], at: string, firstActionAt?: string): MiDelta[] {
  const deltas: MiDelta[] = [];
  const add = (when: string, measure: string, dimension: string | null, totalMs = 0) => deltas.push({ at: when, team: counted.team, measure, dimension, count: 1, totalMs });
  if (firstActionAt !== undefined) add(counted.receivedAt, 'first-action', null, elapsedMs(counted.receivedAt, firstActionAt));
  for (const entry of entries) {
    switch (entry.type) {
      case 'received':
        add(counted.receivedAt, 'contacts', entry.details.channel);
        add(counted.receivedAt, 'contacts-hour', null);
        if (entry.details.riskMarker === 'IR') add(counted.receivedAt, 'screening', 'ir');
        if (counted.vulnerable) add(counted.receivedAt, 'screening', 'vulnerable');
        if (counted.screeningReasons.includes('history:repeat-caller')) add(counted.receivedAt, 'screening', 'repeat-caller');
        break;
      case 'assessed':
        add(at, 'first-grade', String(entry.details.grade));
        break;
      case 'clock-met': {
        const { clockKind, late, startedAt, grade } = entry.details;
        const spent = elapsedMs(startedAt, at);
        add(at, late ? 'clock-met-late' : 'clock-met-on-time', clockKind, spent);
        add(at, 'clock-time-to-meet', `${clockKind}|${durationBucket(spent)}`, spent);
        if (clockKind === 'attendance') add(at, 'attendance', `${grade ?? 'ungraded'}|${counted.area}|${late ? 'late' : 'on-time'}`, spent);
        break;
      }
      case 'clock-breached':
        add(at, 'clock-breached', entry.details.clockKind);
        break;
      case 'clock-stopped':
        add(at, 'clock-stopped', entry.details.clockKind);
        break;
      case 'clock-resumed':
        add(at, 'clock-paused', entry.details.reason, entry.details.pausedMs);
        break;
      case 'downgrade-proposed':
      case 'downgrade-approved':
      case 'downgrade-refused':
        add(at, 'downgrades', entry.type.slice('downgrade-'.length));
        break;
      case 'closed': {
        const closedAt = counted.closedAt ?? at;
        add(closedAt, 'closed-outcome', entry.details.outcome);
        add(closedAt, 'closed-category', entry.details.closingCategory);
        add(closedAt, 'fcr', String(entry.details.firstContactResolution));
        // People's handling time, by channel and outcome (closures from before it was kept have none).
        if (entry.details.handlingMs !== undefined) add(closedAt, 'handling', `${counted.channel}|${entry.details.outcome}`, entry.details.handlingMs);
        break;
      }
      default:
        break;
    }
  }
  return deltas;
}
