import { type ActorRef } from './actor.js';
import { type ClockKind, type ClockRule, type ContactPolicy, type GradedClockKind, gradeRule } from './policy.js';
import { type Grade } from './thrive.js';
import { type TimelineEntry } from './timeline.js';
import { addDuration, describeDuration, type PolicyDuration, spanMs } from './working-time.js';

/**
 * A case's SLA clocks: armed as the case moves, met when the work is done, warned and breached by
 * the workflow's timers, paused only with a reason, re-baselined by a regrade. Every change is a
 * timeline entry, so no clock can be gamed unseen. Pure: the workflow supplies the time.
 */

export type ClockState = 'running' | 'warned' | 'paused' | 'breached' | 'met' | 'stopped';
/** States in which a clock still counts (or, paused, will again). */
export const activeClockStates: readonly ClockState[] = ['running', 'warned', 'paused', 'breached'];

/** Why a clock may be paused: a fixed list, so a pause always says why in terms a report can count. */
export const pauseReasons = ['victim-unavailable', 'victim-requested-delay', 'awaiting-partner-agency', 'interpreter-unavailable', 'major-incident-declared'] as const;
export type PauseReason = (typeof pauseReasons)[number];

/** Why a case is escalated by hand. */
export const escalationReasons = ['risk-increased', 'no-resource-available', 'caller-recontacted', 'supervisor-review', 'other'] as const;
export type EscalationReason = (typeof escalationReasons)[number];

export interface ClockPause {
  reason: PauseReason;
  by: ActorRef;
  at: string;
  resumedAt: string | null;
  resumedBy: ActorRef | null;
  /** Milliseconds the clock stood still, once resumed. */
  pausedMs: number | null;
}

export interface ClockRebaseline {
  at: string;
  fromDueAt: string;
  toDueAt: string;
  fromGrade: Grade;
  toGrade: Grade;
}

export interface CaseClock {
  /** Unique on the case: kind and a counter, for example `attendance-1`. */
  id: string;
  kind: ClockKind;
  /** Reads like the case, for example "grade 2 attendance (60 min)"; also names the clock's timers. */
  label: string;
  grade: Grade | null;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  state: ClockState;
  /** The state a paused clock returns to. */
  resumeTo: 'running' | 'warned' | 'breached' | null;
  warnedAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
  stoppedAt: string | null;
  stopReason: string | null;
  pausedAt: string | null;
  pausedMs: number;
  pauses: ClockPause[];
  /** Escalations this clock has raised. */
  escalations: number;
  /** When a breached clock escalates again. */
  nextEscalationAt: string | null;
  rebaselines: ClockRebaseline[];
}

export type { TimelineEntry } from './timeline.js';

/** What the clocks act on: the case's clocks and its escalation level. */
export interface ClockBook {
  clocks: CaseClock[];
  escalationLevel: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (time: string) => Date.parse(time);

export const isActive = (clock: CaseClock) => activeClockStates.includes(clock.state);

export function ruleOf(policy: ContactPolicy, kind: ClockKind): ClockRule {
  const rule = policy.clocks[kind];
  if (!rule) throw new Error(`Policy ${policy.version} has no ${kind} clock`);
  return rule;
}

/** Whether the policy has a rule for the clock (optional clocks may be absent). */
export const hasClockRule = (policy: ContactPolicy, kind: ClockKind) => policy.clocks[kind] !== undefined;

/** The length of a graded clock at a grade and area, or null when the grade has no such clock. */
export function gradedDuration(policy: ContactPolicy, kind: GradedClockKind, grade: Grade, area: 'urban' | 'rural'): PolicyDuration | null {
  const rule = gradeRule(policy, grade);
  if (kind === 'attendance') return rule.attendance?.[area] ?? null;
  return rule.unresourced ?? null;
}

function clockLabel(rule: ClockRule, duration: PolicyDuration, grade: Grade | null): string {
  return `${grade === null ? '' : `grade ${grade} `}${rule.label} (${describeDuration(duration)})`;
}

/**
 * What a clock operation produces: a new book and the timeline entries that record the change.
 * The operations never change the book they are given.
 */
export interface ClockStep {
  book: ClockBook;
  entries: TimelineEntry[];
}

/**
 * Runs `change` on a copy of the book (the clocks are plain JSON; Temporal's workflow sandbox has
 * no structuredClone) and returns the copy with the entries the change wrote. The helpers below
 * that end in `In` change only such a copy, never a caller's value.
 */
function onCopy(book: ClockBook, change: (copy: ClockBook, entries: TimelineEntry[]) => void): ClockStep {
  const copy: ClockBook = { clocks: JSON.parse(JSON.stringify(book.clocks)) as CaseClock[], escalationLevel: book.escalationLevel };
  const entries: TimelineEntry[] = [];
  change(copy, entries);
  return { book: copy, entries };
}

const clockIn = (book: ClockBook, id: string): CaseClock => {
  const clock = book.clocks.find((candidate) => candidate.id === id);
  if (!clock) throw new Error(`The case has no clock ${id}`);
  return clock;
};

/** Arms a clock of `kind` from `startMs`. */
export const armClock = (book: ClockBook, policy: ContactPolicy, kind: ClockKind, startMs: number, options: { duration?: PolicyDuration; grade?: Grade | null } = {}) =>
  onCopy(book, (copy, entries) => armIn(copy, entries, policy, kind, startMs, options));

function armIn(
  book: ClockBook,
  entries: TimelineEntry[],
  policy: ContactPolicy,
  kind: ClockKind,
  startMs: number,
  options: { duration?: PolicyDuration; grade?: Grade | null } = {},
): CaseClock {
  const rule = ruleOf(policy, kind);
  const duration = options.duration ?? rule.duration;
  if (!duration) throw new Error(`Policy ${policy.version}: clock ${kind} has no duration`);
  const grade = options.grade ?? null;
  const dueMs = addDuration(startMs, duration, policy.calendar);
  const clock: CaseClock = {
    id: `${kind}-${book.clocks.filter((existing) => existing.kind === kind).length + 1}`,
    kind,
    label: clockLabel(rule, duration, grade),
    grade,
    startedAt: iso(startMs),
    warnAt: iso(startMs + Math.round(rule.warnAt * (dueMs - startMs))),
    dueAt: iso(dueMs),
    state: 'running',
    resumeTo: null,
    warnedAt: null,
    breachedAt: null,
    metAt: null,
    stoppedAt: null,
    stopReason: null,
    pausedAt: null,
    pausedMs: 0,
    pauses: [],
    escalations: 0,
    nextEscalationAt: null,
    rebaselines: [],
  };
  book.clocks.push(clock);
  entries.push({ type: 'clock-armed', details: { clock: clock.id, clockKind: clock.kind, grade: clock.grade, label: clock.label, startedAt: clock.startedAt, dueAt: clock.dueAt } });
  return clock;
}

export const activeClocks = (book: ClockBook, kind?: ClockKind) => book.clocks.filter((clock) => isActive(clock) && (kind === undefined || clock.kind === kind));

/** The work the clock waits for is done: met (late, if it had breached or its due time had passed). */
export const meetClocks = (book: ClockBook, kind: ClockKind, nowMs: number) => onCopy(book, (copy, entries) => meetIn(copy, entries, kind, nowMs));

function meetIn(book: ClockBook, entries: TimelineEntry[], kind: ClockKind, nowMs: number): void {
  for (const clock of activeClocks(book, kind)) {
    clock.state = 'met';
    clock.metAt = iso(nowMs);
    clock.resumeTo = null;
    clock.nextEscalationAt = null;
    if (clock.pausedAt) closePause(clock, nowMs, null);
    // Late if it breached, or if its due time had passed before its breach timer fired (a contact
    // recorded after the fact, acted on at once).
    entries.push({
      type: 'clock-met',
      details: { clock: clock.id, clockKind: clock.kind, grade: clock.grade, late: clock.breachedAt !== null || nowMs > ms(clock.dueAt), startedAt: clock.startedAt, dueAt: clock.dueAt },
    });
  }
}

/** The clocks named no longer apply (the case closed, or a regrade removed them). */
export const stopClocks = (book: ClockBook, ids: string[], reason: string, nowMs: number) =>
  onCopy(book, (copy, entries) => {
    for (const id of ids) stopIn(clockIn(copy, id), entries, reason, nowMs);
  });

function stopIn(clock: CaseClock, entries: TimelineEntry[], reason: string, nowMs: number): void {
  clock.state = 'stopped';
  clock.stoppedAt = iso(nowMs);
  clock.stopReason = reason;
  clock.resumeTo = null;
  clock.nextEscalationAt = null;
  if (clock.pausedAt) closePause(clock, nowMs, null);
  entries.push({ type: 'clock-stopped', details: { clock: clock.id, clockKind: clock.kind, reason } });
}

export interface Regrade {
  fromGrade: Grade | null;
  toGrade: Grade;
  area: 'urban' | 'rural';
  dispatched: boolean;
  arrived: boolean;
}

/** A new grade: graded clocks are re-baselined from now, armed, or stopped; old and new due times are recorded. */
export const regradeClocks = (book: ClockBook, policy: ContactPolicy, change: Regrade, nowMs: number) =>
  onCopy(book, (copy, entries) => regradeIn(copy, entries, policy, change, nowMs));

function regradeIn(book: ClockBook, entries: TimelineEntry[], policy: ContactPolicy, change: Regrade, nowMs: number): void {
  const satisfied: Record<GradedClockKind, boolean> = { unresourced: change.dispatched, attendance: change.arrived };
  for (const kind of ['unresourced', 'attendance'] as const) {
    const duration = gradedDuration(policy, kind, change.toGrade, change.area);
    const [current] = activeClocks(book, kind);
    if (current) {
      if (!duration) {
        stopIn(current, entries, `regraded-to-${change.toGrade}`, nowMs);
        continue;
      }
      const rule = ruleOf(policy, kind);
      const dueMs = addDuration(nowMs, duration, policy.calendar);
      const fromDueAt = current.dueAt;
      current.rebaselines.push({ at: iso(nowMs), fromDueAt, toDueAt: iso(dueMs), fromGrade: current.grade ?? change.fromGrade ?? change.toGrade, toGrade: change.toGrade });
      current.grade = change.toGrade;
      current.label = clockLabel(rule, duration, change.toGrade);
      current.warnAt = iso(nowMs + Math.round(rule.warnAt * (dueMs - nowMs)));
      current.dueAt = iso(dueMs);
      current.nextEscalationAt = null;
      // A re-baselined clock counts afresh; an earlier warning or breach stays on its record.
      if (current.state === 'paused') current.resumeTo = 'running';
      else current.state = 'running';
      entries.push({ type: 'clock-rebaselined', details: { clock: current.id, clockKind: current.kind, fromDueAt, toDueAt: current.dueAt, fromGrade: change.fromGrade, toGrade: change.toGrade } });
    } else if (duration && !satisfied[kind]) {
      armIn(book, entries, policy, kind, nowMs, { duration, grade: change.toGrade });
    }
  }
}

/** Raises the escalation level by hand (a supervisor's or handler's escalation, no clock behind it). */
export const escalate = (book: ClockBook, policy: ContactPolicy, cause: { reason: string; raisedFor: number }) =>
  onCopy(book, (copy, entries) => escalateIn(copy, entries, policy, { ...cause, clock: null }));

/**
 * Tells one role of the chain (a supervisor, for a re-screening), raising the case to that level if
 * it stands lower but never past it: an alert, not a climb up the chain.
 */
export const alertRole = (book: ClockBook, policy: ContactPolicy, cause: { role: string; reason: string; raisedFor: number }) =>
  onCopy(book, (copy, entries) => {
    const index = policy.escalationChain.indexOf(cause.role);
    const level = index >= 0 ? index + 1 : Math.min(2, policy.escalationChain.length);
    copy.escalationLevel = Math.max(copy.escalationLevel, level);
    entries.push({ type: 'escalated', details: { level, role: policy.escalationChain[level - 1], reason: cause.reason, clock: null, clockKind: null, raisedFor: iso(cause.raisedFor) } });
  });

/** Raises the escalation level (to at least `minLevel`) and records who is told: an `escalated` entry raises an alert. */
function escalateIn(book: ClockBook, entries: TimelineEntry[], policy: ContactPolicy, cause: { reason: string; clock: CaseClock | null; raisedFor: number; minLevel?: number }): void {
  const top = policy.escalationChain.length;
  const level = Math.min(top, Math.max(book.escalationLevel + 1, cause.minLevel ?? 0));
  book.escalationLevel = level;
  if (cause.clock) cause.clock.escalations += 1;
  entries.push({
    type: 'escalated',
    details: { level, role: policy.escalationChain[level - 1], reason: cause.reason, clock: cause.clock?.id ?? null, clockKind: cause.clock?.kind ?? null, raisedFor: iso(cause.raisedFor) },
  });
}

/** Stops a clock counting, with the reason code; its due time moves on by the paused span when it resumes. */
export const pauseClock = (book: ClockBook, id: string, reason: PauseReason, actor: ActorRef, nowMs: number) =>
  onCopy(book, (copy, entries) => {
    const clock = clockIn(copy, id);
    clock.resumeTo = clock.state as 'running' | 'warned' | 'breached';
    clock.state = 'paused';
    clock.pausedAt = iso(nowMs);
    clock.pauses.push({ reason, by: actor, at: iso(nowMs), resumedAt: null, resumedBy: null, pausedMs: null });
    entries.push({ type: 'clock-paused', details: { clock: clock.id, clockKind: clock.kind, reason } });
  });

function closePause(clock: CaseClock, nowMs: number, actor: ActorRef | null): number {
  const span = nowMs - ms(clock.pausedAt!);
  const pause = clock.pauses[clock.pauses.length - 1];
  pause.resumedAt = iso(nowMs);
  pause.resumedBy = actor;
  pause.pausedMs = span;
  clock.pausedMs += span;
  clock.pausedAt = null;
  return span;
}

/** Resumes a paused clock: every time still ahead of it moves on by exactly the paused span. */
export const resumeClock = (book: ClockBook, id: string, actor: ActorRef, nowMs: number) => onCopy(book, (copy, entries) => resumeIn(clockIn(copy, id), entries, actor, nowMs));

function resumeIn(clock: CaseClock, entries: TimelineEntry[], actor: ActorRef, nowMs: number): void {
  const reason = clock.pauses[clock.pauses.length - 1].reason;
  const span = closePause(clock, nowMs, actor);
  const state = clock.resumeTo ?? 'running';
  if (state !== 'breached') {
    clock.dueAt = iso(ms(clock.dueAt) + span);
    clock.warnAt = iso(ms(clock.warnAt) + span);
  }
  if (clock.nextEscalationAt) clock.nextEscalationAt = iso(ms(clock.nextEscalationAt) + span);
  clock.state = state;
  clock.resumeTo = null;
  entries.push({ type: 'clock-resumed', details: { clock: clock.id, clockKind: clock.kind, reason, pausedMs: span, dueAt: clock.dueAt } });
}

/**
 * Someone has acknowledged the breach of a clock: it stops escalating again (its breach stays on its
 * record, and a re-baseline starts it counting afresh). Returns the same book when nothing changes.
 */
export function quietenClock(book: ClockBook, id: string): ClockStep {
  const clock = book.clocks.find((candidate) => candidate.id === id);
  if (!clock || clock.state !== 'breached' || clock.nextEscalationAt === null) return { book, entries: [] };
  return onCopy(book, (copy) => {
    clockIn(copy, id).nextEscalationAt = null;
  });
}

export type AlarmEvent = 'warning' | 'due' | 're-escalation';
export interface Alarm {
  atMs: number;
  clockId: string;
  event: AlarmEvent;
  /** Names the timer in the Temporal UI, for example "grade 2 attendance (60 min): due". */
  summary: string;
}

function alarmOf(clock: CaseClock): Alarm | null {
  const summary = (event: string) => `${clock.label}: ${event}`;
  if (clock.state === 'running' && ms(clock.warnAt) < ms(clock.dueAt)) return { atMs: ms(clock.warnAt), clockId: clock.id, event: 'warning', summary: summary('warning') };
  if (clock.state === 'running' || clock.state === 'warned') return { atMs: ms(clock.dueAt), clockId: clock.id, event: 'due', summary: summary('due') };
  if (clock.state === 'breached' && clock.nextEscalationAt) {
    return { atMs: ms(clock.nextEscalationAt), clockId: clock.id, event: 're-escalation', summary: summary('escalate again') };
  }
  return null;
}

/** The next thing any clock on the case will do, or null when none is counting. */
export function nextAlarm(book: ClockBook): Alarm | null {
  let next: Alarm | null = null;
  for (const clock of book.clocks) {
    const alarm = alarmOf(clock);
    if (alarm && (next === null || alarm.atMs < next.atMs)) next = alarm;
  }
  return next;
}

/** The nearest due time of a clock still counting (or breached): what the queue orders by. */
export function nextDueAt(book: ClockBook): string | null {
  const due = book.clocks.filter((clock) => ['running', 'warned', 'breached'].includes(clock.state)).map((clock) => ms(clock.dueAt));
  return due.length === 0 ? null : iso(Math.min(...due));
}

export const hasBreach = (book: ClockBook) => book.clocks.some((clock) => clock.state === 'breached');

/** The first repeat after `nowMs` on the cadence that started at `fromMs`. */
function nextRepeat(fromMs: number, repeatMs: number, nowMs: number): number {
  const missed = Math.max(0, Math.floor((nowMs - fromMs) / repeatMs));
  return fromMs + (missed + 1) * repeatMs;
}

/**
 * Fires every alarm that has fallen due by `nowMs`, oldest first. A warning whose clock is already
 * past its due time is not sent (the breach supersedes it), and repeats missed while no worker ran
 * collapse into one, so a late worker raises each overdue alarm exactly once.
 */
export const fireAlarms = (book: ClockBook, policy: ContactPolicy, nowMs: number) => onCopy(book, (copy, entries) => fireIn(copy, entries, policy, nowMs));

function fireIn(book: ClockBook, entries: TimelineEntry[], policy: ContactPolicy, nowMs: number): void {
  for (let alarm = nextAlarm(book); alarm !== null && alarm.atMs <= nowMs; alarm = nextAlarm(book)) {
    const clock = book.clocks.find((candidate) => candidate.id === alarm.clockId)!;
    const rule = ruleOf(policy, clock.kind);
    switch (alarm.event) {
      case 'warning':
        clock.state = 'warned';
        if (ms(clock.dueAt) <= nowMs) break; // the breach is due too: it alone is raised
        clock.warnedAt = iso(nowMs);
        entries.push({ type: 'clock-warned', details: { clock: clock.id, clockKind: clock.kind, dueAt: clock.dueAt } });
        escalateIn(book, entries, policy, { reason: 'clock-warning', clock, raisedFor: alarm.atMs });
        break;
      case 'due': {
        clock.state = 'breached';
        clock.breachedAt = iso(nowMs);
        clock.nextEscalationAt = iso(nextRepeat(alarm.atMs, spanMs(rule.repeatEvery), nowMs));
        entries.push({ type: 'clock-breached', details: { clock: clock.id, clockKind: clock.kind, dueAt: clock.dueAt } });
        const target = clock.kind === 'unresourced' && clock.grade !== null ? (gradeRule(policy, clock.grade).unresourcedEscalatesTo ?? rule.breachEscalatesTo) : rule.breachEscalatesTo;
        escalateIn(book, entries, policy, { reason: 'clock-breach', clock, raisedFor: alarm.atMs, minLevel: target ? policy.escalationChain.indexOf(target) + 1 : 0 });
        break;
      }
      case 're-escalation': {
        clock.nextEscalationAt = iso(nextRepeat(alarm.atMs, spanMs(rule.repeatEvery), nowMs));
        escalateIn(book, entries, policy, { reason: 'clock-re-escalation', clock, raisedFor: alarm.atMs });
        break;
      }
    }
  }
}
