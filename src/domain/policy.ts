import { type Channel } from './channels.js';
import { type EffortRule } from './effort.js';
import { type SatisfactionRule } from './satisfaction.js';
import { type OversightTargets } from './mi.js';
import { type Grade } from './thrive.js';
import { type ElapsedDuration, type PolicyDuration, type WorkingCalendar } from './working-time.js';

/**
 * A force's contact policy as versioned data: grades and their targets, the clocks that run on a
 * case, and who is told when one slips. A case carries the policy it started under, whole, in its
 * workflow input and keeps it until it closes; a new version applies to new cases only.
 */

/** What a kind of clock is, whatever a force's policy makes its length. */
export interface ClockKindRecord {
  /** Its length comes from the case's grade (and area), not from its own rule. */
  graded: boolean;
  /** A policy may leave it out (it came after policies were first written): such a policy never arms it. */
  optional: boolean;
  /** What starts it, in words. */
  starts: string;
  /** What meets it, in words. */
  metBy: string;
}

/**
 * Every clock a case can run, one record each: the clock catalogue. The policy schema, the case
 * view's clock kinds, the what-if runs and the domain guide's table read it; the command modules
 * (`src/domain/commands/`) and `openCase` arm and meet the clocks it names.
 */
export const clockCatalogue = {
  'digital-action': { graded: false, optional: false, starts: 'a contact arrives on one of the policy\'s digital-action channels', metBy: 'its first assessment' },
  'digital-action-risk': {
    graded: false,
    optional: false,
    starts: 'the same, when domestic abuse or a sexual offence is reported (in place of digital action)',
    metBy: 'its first assessment',
  },
  unresourced: { graded: true, optional: false, starts: 'a grade that the policy escalates for want of a resource is set', metBy: 'a unit dispatched' },
  attendance: { graded: true, optional: false, starts: 'a grade with an attendance target is set', metBy: 'a unit arriving' },
  'crime-recording': { graded: false, optional: false, starts: 'an incident that needs a crime decision is recorded (run from when the contact came in)', metBy: 'the crime recording decision' },
  'victim-update': { graded: false, optional: false, starts: 'a crime is recorded', metBy: 'a victim-update note' },
  'victim-update-enhanced': { graded: false, optional: false, starts: 'a crime is recorded for a victim with enhanced rights', metBy: 'a victim-update note' },
  'victim-support-referral': { graded: false, optional: false, starts: 'a crime is recorded, unless the victim declined referral', metBy: 'a referral to victim support' },
  'victim-update-cadence': { graded: false, optional: false, starts: 'a victim update is given, until the case closes', metBy: 'the next victim-update note' },
  'first-response': { graded: false, optional: true, starts: "the first message of a conversation on one of the policy's first-response channels", metBy: 'the first reply' },
  'risk-review': {
    graded: false,
    optional: true,
    starts: "a submission on one of the policy's digital-action channels waits for its first assessment; again after each review",
    metBy: 'a risk review confirming no immediate action, or the first assessment',
  },
  'risk-review-ir': {
    graded: false,
    optional: true,
    starts: 'the same, for a submission marked IR (potential risk) when the review falls due',
    metBy: 'the same',
  },
} as const satisfies Record<string, ClockKindRecord>;

export type ClockKind = keyof typeof clockCatalogue;

/** Every clock kind, in the catalogue's order. */
export const clockKinds = Object.keys(clockCatalogue) as ClockKind[];

type KindsWhere<Flag extends 'graded' | 'optional'> = { [K in ClockKind]: (typeof clockCatalogue)[K][Flag] extends true ? K : never }[ClockKind];

/** Clocks a policy may leave out: such a policy never arms them. */
export type OptionalClockKind = KindsWhere<'optional'>;
export const optionalClockKinds = clockKinds.filter((kind) => clockCatalogue[kind].optional) as OptionalClockKind[];

/** Clocks whose length comes from the case's grade. */
export type GradedClockKind = KindsWhere<'graded'>;
export const gradedClockKinds = clockKinds.filter((kind) => clockCatalogue[kind].graded) as GradedClockKind[];

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
  /** How people's handling time is estimated, and what a staff hour costs; a policy without it keeps none. */
  effort?: EffortRule;
  /** Who is asked how it went once their case closes; a policy without it asks no one. */
  satisfaction?: SatisfactionRule;
}

export const gradeRule = (policy: ContactPolicy, grade: Grade): GradeRule => policy.grades[`${grade}`];
