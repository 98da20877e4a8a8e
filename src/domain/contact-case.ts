import { type ActorRef } from './actor.js';
import { type OpenAlert, raisedAlerts } from './alerts.js';
import { type Channel, type FieldProblem } from './channels.js';
import {
  armClock,
  type CaseClock,
  type ClockBook,
  type ClockStep,
  fireAlarms,
  meetClocks,
  regradeClocks,
  type TimelineEntry,
} from './clocks.js';
import { type ConversationState, openConversation } from './conversations.js';
import { type ContactPolicy } from './policy.js';
import { afterAction, type CaseEffort, isPeoplesWork, noEffort } from './effort.js';
import {
  type CrimeDecision,
  type IncidentRecord,
} from './recording.js';
import { type RiskFlag, type RiskScreening } from './risk-screening.js';
import { type Grade } from './thrive.js';
import { type ReferralKind } from './commands/refer.js';
import { type Resolution } from './commands/resolve.js';
import { type CaseCommand, caseCommands, type CaseCommandDefinition } from './commands/index.js';
import { type ClockPlan, type CommandContext, conflict } from './commands/command.js';
import { armRiskReview, riskReviewKinds } from './commands/review-risk.js';

/**
 * A contact case's state and the rules of every command on it, as pure functions. The workflow
 * holds the state and calls these; the API calls them to explain refusals. Nothing here does I/O.
 */
export type Stage = 'triage' | 'recording' | 'resolution' | 'closed';
export const stages: readonly Stage[] = ['triage', 'recording', 'resolution', 'closed'];

export type { CaseCommand, CaseCommandType } from './commands/index.js';

export interface ContactCaseState {
  reference: string;
  channel: Channel;
  receivedAt: string;
  policyVersion: string;
  team: string;
  assignee: string;
  /** Decides the attendance target where it differs (urban or rural). */
  area: 'urban' | 'rural';
  flags: RiskFlag[];
  stage: Stage;
  screening: RiskScreening;
  grade: Grade | null;
  pendingDowngrade: { fromGrade: Grade; toGrade: Grade; requestedBy: ActorRef; requestedAt: string } | null;
  assessmentCount: number;
  safeguardingRequired: boolean;
  incident: IncidentRecord | null;
  crimeDecision: CrimeDecision | null;
  attendance: { dispatchedAt: string | null; arrivedAt: string | null; unit: string | null };
  referrals: Array<{ agency: string; kind: ReferralKind }>;
  noteCount: number;
  /** How far up the policy's escalation chain the case has gone (0: not escalated). */
  escalationLevel: number;
  clocks: CaseClock[];
  /** Alerts raised and not yet acknowledged (a closed case has none). */
  alerts: OpenAlert[];
  resolution: (Resolution & { firstContactResolution: boolean; closedAt: string; closedBy: ActorRef }) | null;
  /** The case's conversation, when its contact came as one (absent on cases from before conversations). */
  conversation?: ConversationState | null;
  /** People's work on the case so far, under a policy that estimates it (absent otherwise). */
  effort?: CaseEffort;
  /** Counts every change; the case store applies a projection only if it is newer. */
  version: number;
  /** Entries on the case's timeline so far: the next entry's sequence follows. */
  timelineLength: number;
}

/** A refusal: `stage` when the case's stage does not allow the command (409), `invalid` when its content does not hold (422). */
export interface Rejection {
  kind: 'stage' | 'invalid';
  message: string;
  fields: FieldProblem[];
}

export type { TimelineEntry } from './clocks.js';

/** What a case starts from: everything fixed at intake. */
export type CaseIntakeFields = Pick<ContactCaseState, 'reference' | 'channel' | 'receivedAt' | 'policyVersion' | 'team' | 'assignee' | 'area' | 'flags' | 'screening'> & {
  /** The platform, when the contact is a conversation carried by a connector. */
  conversationPlatform?: string;
};

/** A new case and its first timeline entries: received, and the clocks its channel and risk start. */
export function openCase(input: CaseIntakeFields, policy: ContactPolicy): { state: ContactCaseState; entries: TimelineEntry[] } {
  const state = initialCaseState(input);
  const entries: TimelineEntry[] = [
    { type: 'received', details: { channel: input.channel, riskMarker: input.screening.riskMarker, reasons: input.screening.reasons.join(','), policyVersion: policy.version } },
  ];
  let book: ClockBook = state;
  if (policy.digitalActionChannels.includes(input.channel)) {
    const kind = input.screening.domesticAbuse || input.screening.sexualOffence ? 'digital-action-risk' : 'digital-action';
    const armed = armClock(book, policy, kind, Date.parse(input.receivedAt));
    book = armed.book;
    entries.push(...armed.entries);
    // While it waits for its first assessment, it is looked at again at the policy's cadence.
    const review = armRiskReview(book, policy, input.screening, Date.parse(input.receivedAt));
    book = review.book;
    entries.push(...review.entries);
  }
  return { state: { ...state, clocks: book.clocks, escalationLevel: book.escalationLevel, version: 1, timelineLength: entries.length }, entries };
}

export function initialCaseState({ conversationPlatform, ...input }: CaseIntakeFields): ContactCaseState {
  return {
    ...input,
    conversation: conversationPlatform === undefined ? null : openConversation(conversationPlatform),
    stage: 'triage',
    grade: null,
    pendingDowngrade: null,
    assessmentCount: 0,
    safeguardingRequired: input.screening.domesticAbuse || input.screening.sexualOffence || input.flags.includes('child-at-risk' as RiskFlag),
    incident: null,
    crimeDecision: null,
    attendance: { dispatchedAt: null, arrivedAt: null, unit: null },
    referrals: [],
    noteCount: 0,
    escalationLevel: 0,
    clocks: [],
    alerts: [],
    resolution: null,
    version: 0,
    timelineLength: 0,
  };
}

/** The stage follows from what has been done: assessed, then recorded, then resolved. */
export function stageOf(state: Omit<ContactCaseState, 'stage'> & { stage?: Stage }): Stage {
  if (state.resolution) return 'closed';
  if (state.grade === null) return 'triage';
  if (state.incident === null) return 'recording';
  return 'resolution';
}

/** Queue order: IR and grade 1 first. */
export const priorityRank = (state: Pick<ContactCaseState, 'screening' | 'grade'>) =>
  state.screening.riskMarker === 'IR' || state.grade === 1 ? 0 : 1;

/** Why a closed case refuses a command, naming who closed it and when, so that the person asking knows. */
export const closedCaseMessage = (reference: string, by: string | undefined, at: string | undefined) =>
  `Case ${reference} was closed${by ? ` by ${by}` : ''}${at ? ` at ${at}` : ''}: a closed case takes no further commands`;

/** Why `command` cannot be applied to `state` now, or null when it can (each command's rule is in its module). */
export function rejectionOf(state: ContactCaseState, command: CaseCommand, actor: ActorRef): Rejection | null {
  if (state.stage === 'closed') return conflict(closedCaseMessage(state.reference, state.resolution?.closedBy.subject, state.resolution?.closedAt));
  return definitionOf(command).reject(state, command, actor);
}

/** The command's definition, typed for the command itself. */
const definitionOf = (command: CaseCommand) => caseCommands[command.type] as CaseCommandDefinition<CaseCommand>;

/**
 * Applies an accepted command: the new state and the timeline entries that record it, the
 * command's own first and then what it did to the clocks and the escalation level.
 */
export function applyCommand(
  state: ContactCaseState,
  command: CaseCommand,
  actor: ActorRef,
  now: string,
  policy: ContactPolicy,
): { state: ContactCaseState; entries: TimelineEntry[] } {
  // Plain JSON, cloned without structuredClone (which Temporal's workflow sandbox does not provide).
  const next = JSON.parse(JSON.stringify(state)) as ContactCaseState;
  const context = { state, actor, now, nowMs: Date.parse(now), policy };
  const definition = definitionOf(command);
  // Counted before the command's effect, so that a closure records the effort with it; only under a
  // policy that estimates it (the cases of older policies replay as they ran).
  if (policy.effort && isPeoplesWork(actor)) next.effort = afterAction(state.effort ?? noEffort, actor, context.nowMs, policy.effort);
  const own = definition.apply(next, command, context);
  next.stage = stageOf(next);
  const effects = clockEffects(state, next, command, context);
  next.clocks = effects.book.clocks;
  next.escalationLevel = effects.book.escalationLevel;
  const entries = [...own, ...effects.entries];
  next.version = state.version + 1;
  next.timelineLength = state.timelineLength + entries.length;
  return { state: next, entries };
}

/**
 * What a command does to the case's clocks and escalation level: a first assessment meets the
 * digital-action clocks, a change of grade moves the grade's clocks, then the command's own effects.
 */
function clockEffects(state: ContactCaseState, next: ContactCaseState, command: CaseCommand, context: CommandContext): ClockStep {
  const { nowMs, policy } = context;
  let book: ClockBook = { clocks: next.clocks, escalationLevel: next.escalationLevel };
  const entries: TimelineEntry[] = [];
  const plan: ClockPlan = {
    get book() {
      return book;
    },
    then(step) {
      book = step.book;
      entries.push(...step.entries);
    },
  };
  if (state.assessmentCount === 0 && next.assessmentCount > 0) {
    // A person has assessed the submission: it has been actioned, and waits for no more reviews.
    plan.then(meetClocks(book, 'digital-action', nowMs));
    plan.then(meetClocks(book, 'digital-action-risk', nowMs));
    for (const kind of riskReviewKinds) plan.then(meetClocks(book, kind, nowMs));
  }
  if (next.grade !== null && next.grade !== state.grade) {
    plan.then(
      regradeClocks(
        book,
        policy,
        { fromGrade: state.grade, toGrade: next.grade, area: next.area, dispatched: next.attendance.dispatchedAt !== null, arrived: next.attendance.arrivedAt !== null },
        nowMs,
      ),
    );
  }
  definitionOf(command).clocks?.(plan, command, { ...context, next });
  return { book, entries };
}

/**
 * The case with the alerts its newly recorded entries raise (one per `escalated` entry, known by
 * the entry's id once the change has ids): what the workflow adopts and the case store writes.
 */
export function withRaisedAlerts(state: ContactCaseState, entries: ReadonlyArray<{ id: string } & TimelineEntry>): ContactCaseState {
  const raised = raisedAlerts(entries);
  return raised.length === 0 ? state : { ...state, alerts: [...state.alerts, ...raised] };
}

/**
 * The case after every alarm of its clocks that has fallen due by `nowMs` (see `fireAlarms`): a new
 * state and its timeline entries, or the same state and no entries when nothing was due.
 */
export function applyAlarms(state: ContactCaseState, policy: ContactPolicy, nowMs: number): { state: ContactCaseState; entries: TimelineEntry[] } {
  const { book, entries } = fireAlarms(state, policy, nowMs);
  if (entries.length === 0) return { state, entries };
  return { state: { ...state, clocks: book.clocks, escalationLevel: book.escalationLevel, version: state.version + 1, timelineLength: state.timelineLength + entries.length }, entries };
}
