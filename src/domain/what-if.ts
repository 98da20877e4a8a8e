import { gradedDuration } from './clocks.js';
import { type ClockKind, clockKinds, type ContactPolicy, gradedClockKinds, type GradedClockKind } from './policy.js';
import { type Grade } from './thrive.js';
import { addDuration } from './working-time.js';

/**
 * What-if: the clocks a period's cases ran, as their timelines recorded them, held against another
 * policy. Pure: no Temporal replay, no database. Each clock keeps its recorded start (or its last
 * re-baseline, for a regraded clock), its recorded pauses and the moment it was met or stopped;
 * only its length changes, to the other policy's. An authority can so test a target before setting it.
 */

/** One timeline entry, as the case store keeps it. */
export interface RecordedEntry {
  sequence: number;
  type: string;
  at: string;
  details: Record<string, unknown>;
}

/** A case's recorded clocks: its timeline, and what the graded clocks' lengths depend on. */
export interface RecordedCase {
  reference: string;
  area: 'urban' | 'rural';
  timeline: readonly RecordedEntry[];
}

export interface ClockOutcome {
  reference: string;
  clock: string;
  kind: ClockKind;
  /** Met at this time; null when it was stopped or is still running. */
  metAt: string | null;
  recorded: { dueAt: string; breached: boolean };
  whatIf: { dueAt: string; breached: boolean } | null;
}

export interface KindComparison {
  kind: ClockKind;
  clocks: number;
  recorded: { onTime: number; breached: number; onTimeShare: number | null };
  whatIf: { onTime: number; breached: number; onTimeShare: number | null };
}

export interface WhatIfReport {
  policyVersion: string;
  cases: number;
  byKind: KindComparison[];
  /** Clocks that met their recorded target but would have breached under the other policy. */
  wouldHaveBreached: Array<{ reference: string; clock: string; dueAt: string; metAt: string | null }>;
  /** Clocks that breached but would have been on time under the other policy. */
  wouldHaveBeenOnTime: Array<{ reference: string; clock: string; dueAt: string; metAt: string | null }>;
}

/** The clock's kind, as its entry states it (a kind this policy does not know is left out). */
const kindOf = (entry: RecordedEntry): ClockKind | null => {
  const kind = entry.details.clockKind;
  return typeof kind === 'string' && (clockKinds as readonly string[]).includes(kind) ? (kind as ClockKind) : null;
};
const ms = (time: string) => Date.parse(time);
const iso = (time: number) => new Date(time).toISOString();
const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Every clock a case ran, judged by its recorded due time and by the other policy's. */
export function clockOutcomes(recorded: RecordedCase, policy: ContactPolicy, nowMs: number): ClockOutcome[] {
  const outcomes: ClockOutcome[] = [];
  const armed = recorded.timeline.filter((entry) => entry.type === 'clock-armed');
  for (const arming of armed) {
    const clock = String(arming.details.clock);
    const kind = kindOf(arming);
    if (!kind) continue;
    const about = (type: string) => recorded.timeline.filter((entry) => entry.type === type && entry.details.clock === clock && entry.sequence > arming.sequence);
    const met = about('clock-met')[0];
    const stopped = about('clock-stopped')[0];
    const end = met ?? stopped;
    const pausedMs = about('clock-resumed').reduce((total, entry) => total + Number(entry.details.pausedMs ?? 0), 0);
    const rebaselines = about('clock-rebaselined');
    const lastRebaseline = rebaselines.at(-1);
    // The deadline as last recorded: a resume moves it by the pause, a re-baseline sets it anew.
    const moves = [...about('clock-resumed'), ...rebaselines].sort((a, b) => a.sequence - b.sequence);
    const lastMove = moves.at(-1);
    const recordedDue = String(lastMove ? (lastMove.type === 'clock-resumed' ? lastMove.details.dueAt : lastMove.details.toDueAt) : arming.details.dueAt);
    // What was recorded: the clock breached (its timer fired), or was met late.
    const recordedBreached = about('clock-breached').length > 0 || met?.details.late === true;
    const endMs = end ? ms(end.at) : nowMs;

    // Under the other policy: the same start (or re-baseline), the other length, the same pauses.
    const startMs = lastRebaseline ? ms(lastRebaseline.at) : ms(String(arming.details.startedAt));
    const grade = Number(lastRebaseline ? lastRebaseline.details.toGrade : arming.details.grade) as Grade;
    const graded = (gradedClockKinds as readonly string[]).includes(kind);
    const duration = graded ? (Number.isInteger(grade) ? gradedDuration(policy, kind as GradedClockKind, grade, recorded.area) : null) : policy.clocks[kind]?.duration;
    let whatIf: ClockOutcome['whatIf'] = null;
    if (duration) {
      const dueMs = addDuration(startMs, duration, policy.calendar) + pausedMs;
      // A clock stopped because the case no longer needed it is judged only if it ran past the deadline first.
      const breached = stopped ? ms(stopped.at) > dueMs : endMs > dueMs;
      whatIf = { dueAt: iso(dueMs), breached };
    }
    outcomes.push({ reference: recorded.reference, clock, kind, metAt: met ? met.at : null, recorded: { dueAt: recordedDue, breached: recordedBreached }, whatIf });
  }
  return outcomes;
}

/** The period's clocks under the recorded policies and under `policy`, kind by kind, and the cases that change. */
export function whatIf(cases: readonly RecordedCase[], policy: ContactPolicy, nowMs: number): WhatIfReport {
  const outcomes = cases.flatMap((recorded) => clockOutcomes(recorded, policy, nowMs));
  const judged = outcomes.filter((outcome) => outcome.whatIf !== null);
  const kinds = [...new Set(judged.map((outcome) => outcome.kind))].sort();
  const entry = (outcome: ClockOutcome) => ({ reference: outcome.reference, clock: outcome.clock, dueAt: outcome.whatIf!.dueAt, metAt: outcome.metAt });
  return {
    policyVersion: policy.version,
    cases: cases.length,
    byKind: kinds.map((kind) => {
      const ofKind = judged.filter((outcome) => outcome.kind === kind);
      const recordedBreached = ofKind.filter((outcome) => outcome.recorded.breached).length;
      const whatIfBreached = ofKind.filter((outcome) => outcome.whatIf!.breached).length;
      return {
        kind,
        clocks: ofKind.length,
        recorded: { onTime: ofKind.length - recordedBreached, breached: recordedBreached, onTimeShare: share(ofKind.length - recordedBreached, ofKind.length) },
        whatIf: { onTime: ofKind.length - whatIfBreached, breached: whatIfBreached, onTimeShare: share(ofKind.length - whatIfBreached, ofKind.length) },
      };
    }),
    wouldHaveBreached: judged.filter((outcome) => !outcome.recorded.breached && outcome.whatIf!.breached).map(entry),
    wouldHaveBeenOnTime: judged.filter((outcome) => outcome.recorded.breached && !outcome.whatIf!.breached).map(entry),
  };
}
