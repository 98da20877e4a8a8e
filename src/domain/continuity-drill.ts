/**
 * Continuity drills: the business continuity test the police authority asks about, run by the
 * system itself. A drill opens synthetic cases in the drill team under a copy of the policy whose
 * digital-action clock runs for seconds, restarts a worker, and then checks that every clock fired
 * once and on time and that every alert it raised was recorded and delivered. Pure: the workflow
 * and the activities feed it what happened, and it gives the verdict.
 */
import type { CaseClock } from './clocks.js';
import type { ContactPolicy } from './policy.js';

/** The team drill cases belong to: left out of every operational queue, alert list and MI figure. */
export const DRILL_TEAM = 'continuity-drill';

/** The clock a drill case runs: a web form arms digital-action, which the drill policy shortens. */
export const DRILL_CLOCK_KIND = 'digital-action';

export interface DrillSettings {
  /** Synthetic cases to open. */
  cases: number;
  /** How long each case's clock runs; it warns at half of it. */
  clockSeconds: number;
  /** How long the restarted worker stays down before it polls again. */
  workerDownSeconds: number;
  /** How late a clock may fire and still count as on time. */
  toleranceSeconds: number;
}

export const defaultDrillSettings: DrillSettings = { cases: 3, clockSeconds: 30, workerDownSeconds: 5, toleranceSeconds: 5 };

/** The limits a drill's settings are held to (a drill is short, and small). */
export const drillSettingLimits: Record<keyof DrillSettings, { min: number; max: number }> = {
  cases: { min: 1, max: 20 },
  clockSeconds: { min: 10, max: 3_600 },
  workerDownSeconds: { min: 0, max: 3_600 },
  toleranceSeconds: { min: 1, max: 300 },
};

/** The policy drill cases run under: the force's, with the digital-action clock in seconds. */
export function drillPolicy(policy: ContactPolicy, settings: DrillSettings): ContactPolicy {
  return {
    ...policy,
    version: `${policy.version}+drill-${settings.clockSeconds}s`,
    description: `Continuity drill: ${policy.version} with a ${settings.clockSeconds} s digital-action clock`,
    clocks: {
      ...policy.clocks,
      [DRILL_CLOCK_KIND]: { label: `continuity drill (${settings.clockSeconds} s)`, duration: { seconds: settings.clockSeconds }, warnAt: 0.5, repeatEvery: { days: 7 } },
    },
  };
}

export type DrillAlarm = 'warning' | 'due';

/** A moment a drill clock must act at: its warning, then its breach. */
export interface ExpectedAlarm {
  reference: string;
  clock: string;
  alarm: DrillAlarm;
  dueAt: string;
}

/** What the case store shows a clock did (a `clock-warned` or `clock-breached` entry). */
export interface FiredAlarm {
  reference: string;
  clock: string;
  alarm: DrillAlarm;
  at: string;
}

/** An alert the case store holds for a drill clock. */
export interface DrillAlert {
  id: string;
  reference: string;
  clock: string | null;
  reason: string;
  raisedFor: string;
  /** `delivered`, `not-configured` (no webhook for the role: the alert stream is its delivery), `retrying`, `failed`, `pending`. */
  deliveryState: string;
}

export interface LateAlarm {
  reference: string;
  clock: string;
  alarm: DrillAlarm;
  dueAt: string;
  /** Null when it had not fired at all when the drill checked. */
  firedAt: string | null;
  lateMs: number | null;
}

export interface DrillVerdict {
  outcome: 'passed' | 'failed';
  alarmsExpected: number;
  alarmsOnTime: number;
  /** Fired, but later than the tolerance allows, or never. */
  late: LateAlarm[];
  /** Alarms recorded more than once (each must fire exactly once). */
  twice: Array<{ reference: string; clock: string; alarm: DrillAlarm; times: number }>;
  alertsExpected: number;
  alertsDelivered: number;
  undeliveredAlerts: Array<{ id: string; reference: string; reason: string; deliveryState: string }>;
  maxLatenessMs: number | null;
  /** Every reason for a failure, in words (empty when it passed). */
  problems: string[];
}

const ms = (iso: string) => Date.parse(iso);

/** The warning and the breach of each drill case's clock, from the clocks its intake armed. */
export function expectedAlarms(cases: ReadonlyArray<{ reference: string; clocks: readonly CaseClock[] }>): ExpectedAlarm[] {
  return cases.flatMap(({ reference, clocks }) =>
    clocks
      .filter((clock) => clock.kind === DRILL_CLOCK_KIND)
      .flatMap((clock): ExpectedAlarm[] => [
        ...(ms(clock.warnAt) < ms(clock.dueAt) ? [{ reference, clock: clock.id, alarm: 'warning' as const, dueAt: clock.warnAt }] : []),
        { reference, clock: clock.id, alarm: 'due', dueAt: clock.dueAt },
      ]),
  );
}

const alertReason: Record<DrillAlarm, string> = { warning: 'clock-warning', due: 'clock-breach' };
const alarmWords: Record<DrillAlarm, string> = { warning: 'warning', due: 'breach' };
const key = (item: { reference: string; clock: string; alarm: DrillAlarm }) => `${item.reference}|${item.clock}|${item.alarm}`;

/**
 * The verdict: every expected alarm fired exactly once, within the tolerance of its time, and
 * raised at least one alert, every one of them delivered (or, with no webhook for its role, on the
 * alert stream, which reads the case store).
 */
export function judgeDrill(expected: readonly ExpectedAlarm[], fired: readonly FiredAlarm[], alerts: readonly DrillAlert[], toleranceMs: number): DrillVerdict {
  const firedBy = new Map<string, FiredAlarm[]>();
  for (const item of fired) firedBy.set(key(item), [...(firedBy.get(key(item)) ?? []), item]);
  const late: LateAlarm[] = [];
  const twice: DrillVerdict['twice'] = [];
  let onTime = 0;
  let maxLatenessMs: number | null = null;
  const relevantAlerts: DrillAlert[] = [];
  const problems: string[] = [];
  for (const alarm of expected) {
    const times = firedBy.get(key(alarm)) ?? [];
    if (times.length > 1) twice.push({ reference: alarm.reference, clock: alarm.clock, alarm: alarm.alarm, times: times.length });
    const first = times.map((item) => ms(item.at)).sort((a, b) => a - b)[0];
    const lateMs = first === undefined ? null : Math.max(0, first - ms(alarm.dueAt));
    if (lateMs !== null) maxLatenessMs = Math.max(maxLatenessMs ?? 0, lateMs);
    if (lateMs === null || lateMs > toleranceMs) {
      late.push({ ...alarm, firedAt: first === undefined ? null : new Date(first).toISOString(), lateMs });
    } else {
      onTime += 1;
    }
    if (lateMs === null) continue;
    const raised = alerts.filter((alert) => alert.reference === alarm.reference && alert.clock === alarm.clock && alert.reason === alertReason[alarm.alarm]);
    if (raised.length === 0) problems.push(`${alarm.reference}: the ${alarmWords[alarm.alarm]} of ${alarm.clock} raised no alert`);
    relevantAlerts.push(...raised);
  }
  const delivered = relevantAlerts.filter((alert) => alert.deliveryState === 'delivered' || alert.deliveryState === 'not-configured');
  const undeliveredAlerts = relevantAlerts.filter((alert) => !delivered.includes(alert)).map(({ id, reference, reason, deliveryState }) => ({ id, reference, reason, deliveryState }));
  for (const item of late) {
    problems.push(
      item.lateMs === null
        ? `${item.reference}: the ${alarmWords[item.alarm]} of ${item.clock} due ${item.dueAt} never fired`
        : `${item.reference}: the ${alarmWords[item.alarm]} of ${item.clock} due ${item.dueAt} fired ${(item.lateMs / 1000).toFixed(1)} s late`,
    );
  }
  for (const item of twice) problems.push(`${item.reference}: the ${alarmWords[item.alarm]} of ${item.clock} fired ${item.times} times`);
  for (const item of undeliveredAlerts) problems.push(`${item.reference}: alert ${item.id} (${item.reason}) not delivered (${item.deliveryState})`);
  return {
    outcome: problems.length === 0 ? 'passed' : 'failed',
    alarmsExpected: expected.length,
    alarmsOnTime: onTime,
    late,
    twice,
    alertsExpected: relevantAlerts.length,
    alertsDelivered: delivered.length,
    undeliveredAlerts,
    maxLatenessMs,
    problems,
  };
}
