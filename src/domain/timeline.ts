import type { AcknowledgementAction, AlertKind, AssignmentReason, RegradeReason } from './alerts.js';
import type { Channel } from './channels.js';
import type { PauseReason } from './clocks.js';
import type { NoteKind } from './commands/add-note.js';
import type { ReferralKind } from './commands/refer.js';
import type { Outcome } from './commands/resolve.js';
import type { Stage } from './contact-case.js';
import type { ClockKind } from './policy.js';
import type { IncidentCategory } from './recording.js';
import type { Grade } from './thrive.js';
import type { RiskReviewReason } from './commands/review-risk.js';

/**
 * A case's timeline: one entry per thing that happened, each kind with its own explicit fields.
 * What a reader needs (a clock's kind, its grade, the role told) is a field of its own, so nothing
 * parses a label or an id to recover it. Codes, numbers and times only: never a narrative, a note's
 * text or a caller's details (the audit chain and the Temporal UI show these).
 */
export interface TimelineDetails {
  received: { channel: Channel; riskMarker: 'IR' | null; reasons: string; policyVersion: string };
  'clock-armed': { clock: string; clockKind: ClockKind; grade: Grade | null; label: string; startedAt: string; dueAt: string };
  'clock-warned': { clock: string; clockKind: ClockKind; dueAt: string };
  'clock-breached': { clock: string; clockKind: ClockKind; dueAt: string };
  /** `late`: it had breached, or its due time had passed when it was met. */
  'clock-met': { clock: string; clockKind: ClockKind; grade: Grade | null; late: boolean; startedAt: string; dueAt: string };
  'clock-stopped': { clock: string; clockKind: ClockKind; reason: string };
  'clock-rebaselined': { clock: string; clockKind: ClockKind; fromDueAt: string; toDueAt: string; fromGrade: Grade | null; toGrade: Grade };
  'clock-paused': { clock: string; clockKind: ClockKind; reason: PauseReason };
  /** `reason`: why it had been paused. */
  'clock-resumed': { clock: string; clockKind: ClockKind; reason: PauseReason; pausedMs: number; dueAt: string };
  /** Who is told (`role`, at `level` of the chain) and why: an alert. `clockKind` is null for an escalation by hand. */
  escalated: { level: number; role: string; reason: string; clock: string | null; clockKind: ClockKind | null; raisedFor: string };
  assessed: { grade: Grade; previousGrade: Grade | null; assessment: number };
  reassessed: { grade: Grade; previousGrade: Grade | null; assessment: number };
  'downgrade-proposed': { fromGrade: Grade; toGrade: Grade; assessment: number };
  /** Who proposed it, and when: the decision's record needs them once the case no longer waits. */
  'downgrade-approved': { fromGrade: Grade; toGrade: Grade; requestedBy: string; requestedByRole: string; requestedAt: string };
  'downgrade-refused': { fromGrade: Grade; toGrade: Grade; requestedBy: string; requestedByRole: string; requestedAt: string };
  regraded: { fromGrade: Grade | null; toGrade: Grade; reason: RegradeReason };
  'incident-recorded': { openingCategory: IncidentCategory; qualifiers: string };
  'incident-amended': { openingCategory: IncidentCategory; qualifiers: string };
  'crime-decision': { crimeRecorded: boolean; classification: string | null; noCrimeReason: string | null };
  'attendance-dispatched': { unit: string | null };
  'attendance-arrived': { unit: string | null };
  referral: { kind: ReferralKind; agency: string };
  note: { note: number; kind: NoteKind };
  closed: {
    outcome: Outcome;
    closingCategory: IncidentCategory;
    firstContactResolution: boolean;
    /** People's handling time and work sessions on the case, the closure's included (absent on closures from before they were kept). */
    handlingMs?: number;
    sessions?: number;
  };
  'alert-acknowledged': { alert: string; kind: AlertKind; level: number; role: string; clock: string | null; action: AcknowledgementAction };
  claimed: { from: string; to: string; fromTeam: string; team: string; reason: AssignmentReason };
  assigned: { from: string; to: string; fromTeam: string; team: string; reason: AssignmentReason };
  'caller-recontacted': { by: string; stage: Stage };
  'message-received': { platform: string; messages: number };
  'message-sent': { platform: string; messages: number };
  'screening-raised': { reasons: string; riskMarker: 'IR' | null };
  /** A waiting submission's risk looked at again: no immediate action, for `reason`. */
  'risk-reviewed': { reason: RiskReviewReason; riskMarker: 'IR' | null };
}

export type TimelineEntryType = keyof TimelineDetails;

/** One timeline entry: its kind, and that kind's fields. */
export type TimelineEntry = { [T in TimelineEntryType]: { type: T; details: TimelineDetails[T] } }[TimelineEntryType];

/** An entry of one kind. */
export type TimelineEntryOf<T extends TimelineEntryType> = Extract<TimelineEntry, { type: T }>;

/** Narrows an entry to a kind (`entries.filter(isEntry('escalated'))`). */
export const isEntry =
  <T extends TimelineEntryType>(type: T) =>
  <E extends { type: string }>(entry: E): entry is Extract<E, { type: T }> =>
    entry.type === type;

/** Every kind of entry, so that a reader or a test can go through them all. */
export const timelineEntryTypes = [
  'received',
  'clock-armed',
  'clock-warned',
  'clock-breached',
  'clock-met',
  'clock-stopped',
  'clock-rebaselined',
  'clock-paused',
  'clock-resumed',
  'escalated',
  'assessed',
  'reassessed',
  'downgrade-proposed',
  'downgrade-approved',
  'downgrade-refused',
  'regraded',
  'incident-recorded',
  'incident-amended',
  'crime-decision',
  'attendance-dispatched',
  'attendance-arrived',
  'referral',
  'note',
  'closed',
  'alert-acknowledged',
  'claimed',
  'assigned',
  'caller-recontacted',
  'message-received',
  'message-sent',
  'screening-raised',
  'risk-reviewed',
] as const satisfies readonly TimelineEntryType[];

// The list above names every kind: a kind added to TimelineDetails and not here fails to compile.
type Missing = Exclude<TimelineEntryType, (typeof timelineEntryTypes)[number]>;
const everyKindListed: [Missing] extends [never] ? true : Missing = true;
void everyKindListed;
