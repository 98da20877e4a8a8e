import { type Channel } from './channels.js';
import { type OversightTargets } from './oversight.js';
import { type Grade } from './thrive.js';
import { type ElapsedDuration, type PolicyDuration, type WorkingCalendar } from './working-time.js';

/**
 * A force's contact policy as versioned data: grades and their targets, the clocks that run on a
 * case, and who is told when one slips. A case carries the policy it started under, whole, in its
 * workflow input and keeps it until it closes; a new version applies to new cases only.
 */

/** Every clock a case can run. */
export const clockKinds = [
  'digital-action',
  'digital-action-risk',
  'unresourced',
  'attendance',
  'crime-recording',
  'victim-update',
  'victim-update-enhanced',
  'victim-support-referral',
  'victim-update-cadence',
  'first-response',
] as const;
export type ClockKind = (typeof clockKinds)[number];

/** Clocks a policy may leave out (they came after policies were first written): such a policy never arms them. */
export const optionalClockKinds = ['first-response'] as const satisfies readonly ClockKind[];
export type OptionalClockKind = (typeof optionalClockKinds)[number];

/** Clocks whose length comes from the case's grade. */
export const gradedClockKinds = ['unresourced', 'attendance'] as const satisfies readonly ClockKind[];
export type GradedClockKind = (typeof gradedClockKinds)[number];

export interface ClockRule {
  /** How the clock reads on a case and as the name of its timer: no personal data, ever. */
  label: string;
  /** How long it runs; graded clocks take theirs from the grade instead. */
  duration?: PolicyDuration;
  /** The fraction of its time after which it warns (0 < warnAt < 1). */
  warnAt: number;
  /** After a breach, how often it escalates again until someone acts. */
  repeatEvery: ElapsedDuration;
  /** A breach escalates at least this far up the chain (for example straight to the duty inspector). */
  breachEscalatesTo?: string;
}

export interface GradeRule {
  label: string;
  /** Call to arrival, by area; absent when the grade sends no one. */
  attendance?: { urban: PolicyDuration; rural: PolicyDuration };
  /** Until a unit is dispatched; absent when the grade is not escalated for want of a resource. */
  unresourced?: PolicyDuration;
  /** Who an unresourced breach at this grade goes to (overrides the clock's rule). */
  unresourcedEscalatesTo?: string;
}

export interface ContactPolicy {
  /** Names this content for good: a changed policy gets a new version. */
  version: string;
  description: string;
  calendar: WorkingCalendar;
  grades: Record<`${Grade}`, GradeRule>;
  clocks: Record<Exclude<ClockKind, OptionalClockKind>, ClockRule> & Partial<Record<OptionalClockKind, ClockRule>>;
  /** Channels whose submissions must be actioned within the digital-action clock (Single Online Home and the like). */
  digitalActionChannels: Channel[];
  /**
   * Channels where a message from the public starts the `first-response` clock, met by the first
   * reply (for example social media direct messages, around the clock). Absent: none.
   */
  firstResponseChannels?: Channel[];
  /** Who is told, in order, as a case's escalation level rises (level 1 is the first role). */
  escalationChain: string[];
  /** A caller is a repeat caller at `minimumContacts` contacts (this one included) within `windowDays`. */
  repeatCallers: { windowDays: number; minimumContacts: number };
  /** What the authority's figures are read against (management information); defaults when absent. */
  targets?: OversightTargets;
}

export const gradeRule = (policy: ContactPolicy, grade: Grade): GradeRule => policy.grades[`${grade}`];
