import { type ActorRef } from './actor.js';
import { type AcknowledgementAction, type AssignmentReason, type OpenAlert, raisedAlerts, type RegradeReason } from './alerts.js';
import { type Channel, type FieldProblem } from './channels.js';
import {
  activeClocks,
  alertRole,
  armClock,
  type CaseClock,
  type ClockBook,
  type ClockStep,
  escalate,
  type EscalationReason,
  fireAlarms,
  hasClockRule,
  meetClocks,
  pauseClock,
  type PauseReason,
  quietenClock,
  regradeClocks,
  resumeClock,
  stopClocks,
  type TimelineEntry,
} from './clocks.js';
import { type ConversationState, type InboundMessage, openConversation } from './conversations.js';
import { type ContactPolicy } from './policy.js';
import {
  type CrimeDecision,
  crimeDecisionProblems,
  type IncidentCategory,
  type IncidentRecord,
  needsCrimeDecision,
} from './recording.js';
import { type RiskFlag, type RiskScreening, screenContact } from './risk-screening.js';
import { assessmentProblems, type Grade, isDowngrade, needsSafeguarding, type ThriveAssessment } from './thrive.js';

/**
 * A contact case's state and the rules of every command on it, as pure functions. The workflow
 * holds the state and calls these; the API calls them to explain refusals. Nothing here does I/O.
 */
export type Stage = 'triage' | 'recording' | 'resolution' | 'closed';
export const stages: readonly Stage[] = ['triage', 'recording', 'resolution', 'closed'];

export const outcomes = ['resolved-at-first-contact', 'attended', 'appointment', 'referred', 'signposted', 'no-further-action'] as const;
export type Outcome = (typeof outcomes)[number];

export interface Resolution {
  outcome: Outcome;
  closingCategory: IncidentCategory;
  appointmentAt?: string;
  signpostedTo?: string;
  noFurtherActionReason?: string;
}

export const referralKinds = ['safeguarding', 'partner', 'victim-support'] as const;
export type ReferralKind = (typeof referralKinds)[number];

export interface Referral {
  agency: string;
  kind: ReferralKind;
  reason: string;
}

export type CaseCommand =
  | { type: 'assess'; assessment: ThriveAssessment }
  | { type: 'decide-downgrade'; approve: boolean; rationale: string }
  | { type: 'record-incident'; incident: IncidentRecord }
  | { type: 'decide-crime'; decision: CrimeDecision }
  | { type: 'record-attendance'; event: 'dispatched' | 'arrived'; unit?: string }
  | { type: 'refer'; referral: Referral }
  | { type: 'add-note'; text: string; kind?: NoteKind }
  | { type: 'resolve'; resolution: Resolution }
  | { type: 'escalate'; reason: EscalationReason }
  | { type: 'pause-clock'; clock: string; reason: PauseReason }
  | { type: 'resume-clock'; clock: string }
  | { type: 'acknowledge-alert'; alert: string; action: AcknowledgementAction; note?: string }
  | { type: 'assign'; assignee: string; team?: string; reason: AssignmentReason }
  | { type: 'regrade'; grade: Grade; reason: RegradeReason }
  /** The same caller has made another contact (`by`) while this case is open: a supervisor re-screens it. */
  | { type: 'caller-recontacted'; by: string }
  /** A message from the public joins the case's conversation (its words go to the case store only). */
  | { type: 'receive-message'; message: InboundMessage }
  /** A reply to the public on the case's conversation, delivered through the platform's adapter. */
  | { type: 'send-message'; text: string };

/** A `victim-update` note records that the victim was told of progress (Victims' Code). */
export const noteKinds = ['general', 'victim-update'] as const;
export type NoteKind = (typeof noteKinds)[number];

export type CaseCommandType = CaseCommand['type'];

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

const stageConflict = (state: ContactCaseState, message: string): Rejection => ({
  kind: 'stage',
  message: `Case ${state.reference} is at stage ${state.stage}: ${message}`,
  fields: [],
});
const invalid = (message: string, fields: FieldProblem[] = []): Rejection => ({ kind: 'invalid', message, fields });

const safeguardingDone = (state: ContactCaseState) => state.referrals.some((referral) => referral.kind === 'safeguarding');

/** Why `command` cannot be applied to `state` now, or null when it can. */
export function rejectionOf(state: ContactCaseState, command: CaseCommand, actor: ActorRef): Rejection | null {
  if (state.stage === 'closed') return stageConflict(state, 'a closed case takes no further commands');
  switch (command.type) {
    case 'assess': {
      const problems = assessmentProblems(command.assessment);
      return problems.length > 0 ? invalid(`The assessment is incomplete or inconsistent: ${problems.map((p) => p.message).join('; ')}`, problems) : null;
    }
    case 'decide-downgrade':
      if (!state.pendingDowngrade) return stageConflict(state, 'no downgrade is waiting for approval');
      if (state.pendingDowngrade.requestedBy.subject === actor.subject) {
        return invalid('A downgrade needs the approval of a supervisor other than the person who proposed it', [{ field: 'approve', message: 'self-approval' }]);
      }
      return null;
    case 'record-incident':
      return null;
    case 'decide-crime': {
      if (!state.incident) return stageConflict(state, 'record the incident before the crime recording decision');
      const problems = crimeDecisionProblems(command.decision);
      return problems.length > 0 ? invalid(problems.map((p) => p.message).join('; '), problems) : null;
    }
    case 'record-attendance':
      if (state.grade === null) return stageConflict(state, 'grade the case before deploying to it');
      if (state.grade === 4) return invalid('A grade 4 case is resolved without deployment', [{ field: 'event', message: 'no deployment at grade 4' }]);
      if (command.event === 'dispatched' && state.attendance.dispatchedAt) return invalid('A unit has already been dispatched', [{ field: 'event', message: 'already dispatched' }]);
      if (command.event === 'arrived' && !state.attendance.dispatchedAt) return invalid('No unit has been dispatched yet', [{ field: 'event', message: 'dispatch first' }]);
      if (command.event === 'arrived' && state.attendance.arrivedAt) return invalid('Arrival is already recorded', [{ field: 'event', message: 'already arrived' }]);
      return null;
    case 'refer':
    case 'add-note':
    case 'escalate':
      return null;
    case 'pause-clock': {
      const clock = state.clocks.find((candidate) => candidate.id === command.clock);
      if (!clock) return invalid(`No clock ${command.clock} on this case`, [{ field: 'clock', message: `one of ${state.clocks.map((c) => c.id).join(', ') || '(none)'}` }]);
      if (!['running', 'warned', 'breached'].includes(clock.state)) return invalid(`Clock ${clock.id} is ${clock.state}: only a counting clock can be paused`, [{ field: 'clock', message: `clock is ${clock.state}` }]);
      return null;
    }
    case 'resume-clock': {
      const clock = state.clocks.find((candidate) => candidate.id === command.clock);
      if (!clock) return invalid(`No clock ${command.clock} on this case`, [{ field: 'clock', message: `one of ${state.clocks.map((c) => c.id).join(', ') || '(none)'}` }]);
      if (clock.state !== 'paused') return invalid(`Clock ${clock.id} is ${clock.state}, not paused`, [{ field: 'clock', message: `clock is ${clock.state}` }]);
      return null;
    }
    case 'resolve':
      return resolutionRejection(state, command.resolution);
    case 'acknowledge-alert': {
      const alert = state.alerts.find((candidate) => candidate.id === command.alert);
      if (!alert) return stageConflict(state, `alert ${command.alert} is not open: it was acknowledged already, or the case never raised it`);
      if (alert.role !== actor.role) return invalid(`Alert ${alert.id} is addressed to ${alert.role}`, [{ field: 'alert', message: `addressed to ${alert.role}, not ${actor.role}` }]);
      return null;
    }
    case 'assign':
      if (command.assignee === state.assignee && (command.team ?? state.team) === state.team) {
        return invalid(`The case is already with ${command.assignee} in ${state.team}`, [{ field: 'assignee', message: 'already assigned there' }]);
      }
      return null;
    case 'caller-recontacted':
      return null;
    case 'receive-message':
    case 'send-message':
      if (!state.conversation) {
        return invalid(`Case ${state.reference} came by ${state.channel}, not as a conversation: it has no thread to ${command.type === 'send-message' ? 'reply on' : 'add to'}`, [
          { field: command.type === 'send-message' ? 'text' : 'conversationId', message: 'the case has no conversation' },
        ]);
      }
      return null;
    case 'regrade':
      if (state.grade === null) return stageConflict(state, 'assess and grade the case before regrading it');
      if (command.grade === state.grade && !state.pendingDowngrade) return invalid(`The case is already grade ${command.grade}`, [{ field: 'grade', message: 'same as the current grade' }]);
      return null;
  }
}

function resolutionRejection(state: ContactCaseState, resolution: Resolution): Rejection | null {
  if (state.stage !== 'resolution') return stageConflict(state, 'a case is resolved only once it is assessed and its incident recorded');
  const missing: string[] = [];
  if (state.pendingDowngrade) missing.push('the pending downgrade must be approved or refused');
  if (needsCrimeDecision(state.incident, resolution.closingCategory) && !state.crimeDecision) missing.push('an NCRS crime recording decision');
  switch (resolution.outcome) {
    case 'resolved-at-first-contact':
      // Single call resolution is measured, so it must not reward closing early.
      if (state.grade !== 4) missing.push('grade 4 (resolved without deployment)');
      if (state.safeguardingRequired && !safeguardingDone(state)) missing.push('a safeguarding referral');
      break;
    case 'attended':
      if (!state.attendance.arrivedAt) missing.push('attendance (arrival)');
      break;
    case 'appointment':
      if (!resolution.appointmentAt) missing.push('appointmentAt');
      break;
    case 'referred':
      if (state.referrals.length === 0) missing.push('a referral');
      break;
    case 'signposted':
      if (!resolution.signpostedTo) missing.push('signpostedTo');
      break;
    case 'no-further-action':
      if (!resolution.noFurtherActionReason) missing.push('noFurtherActionReason');
      break;
  }
  if (missing.length === 0) return null;
  return invalid(`Cannot close as ${resolution.outcome}: first ${missing.join(', ')}`, missing.map((message) => ({ field: 'outcome', message })));
}

/**
 * What screening a message adds to the case's: the reasons it finds that the case did not have,
 * and the screening with them (a risk marker, once set, stays). Null when it adds nothing.
 */
function raisedScreening(state: ContactCaseState, text: string, policy: ContactPolicy): { screening: RiskScreening; reasons: string[] } | null {
  const found = screenContact({ channel: state.channel, flags: [], narrative: text }, policy);
  const reasons = found.reasons.filter((reason) => !state.screening.reasons.includes(reason));
  if (reasons.length === 0) return null;
  return {
    reasons,
    screening: {
      riskMarker: state.screening.riskMarker ?? found.riskMarker,
      domesticAbuse: state.screening.domesticAbuse || found.domesticAbuse,
      sexualOffence: state.screening.sexualOffence || found.sexualOffence,
      vulnerable: state.screening.vulnerable || found.vulnerable,
      reasons: [...state.screening.reasons, ...reasons],
    },
  };
}

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
  let entry: TimelineEntry | null;
  const extra: TimelineEntry[] = [];
  switch (command.type) {
    case 'assess': {
      const proposed = command.assessment.proposedGrade;
      next.assessmentCount += 1;
      next.safeguardingRequired = next.safeguardingRequired || needsSafeguarding(command.assessment);
      // A person assessed as vulnerable stays marked so (enhanced Victims' Code rights, the queue's flag).
      if (['medium', 'high'].includes(command.assessment.factors.vulnerability.level)) next.screening = { ...next.screening, vulnerable: true };
      if (isDowngrade(state.grade, proposed)) {
        next.pendingDowngrade = { fromGrade: state.grade!, toGrade: proposed, requestedBy: actor, requestedAt: now };
        entry = { type: 'downgrade-proposed', details: { fromGrade: state.grade!, toGrade: proposed, assessment: next.assessmentCount } };
      } else {
        next.pendingDowngrade = null;
        next.grade = proposed;
        entry = {
          type: state.assessmentCount === 0 ? 'assessed' : 'reassessed',
          details: { grade: proposed, previousGrade: state.grade, assessment: next.assessmentCount },
        };
      }
      break;
    }
    case 'decide-downgrade': {
      const pending = state.pendingDowngrade!;
      next.pendingDowngrade = null;
      if (command.approve) next.grade = pending.toGrade;
      const decided = {
        fromGrade: pending.fromGrade,
        toGrade: pending.toGrade,
        requestedBy: pending.requestedBy.subject,
        requestedByRole: pending.requestedBy.role,
        requestedAt: pending.requestedAt,
      };
      entry = command.approve ? { type: 'downgrade-approved', details: decided } : { type: 'downgrade-refused', details: decided };
      break;
    }
    case 'record-incident':
      next.incident = { openingCategory: command.incident.openingCategory, qualifiers: [...command.incident.qualifiers] };
      entry = { type: state.incident ? 'incident-amended' : 'incident-recorded', details: { openingCategory: command.incident.openingCategory, qualifiers: command.incident.qualifiers.join(',') } };
      break;
    case 'decide-crime':
      next.crimeDecision = { ...command.decision };
      entry = {
        type: 'crime-decision',
        details: { crimeRecorded: command.decision.crimeRecorded, classification: command.decision.classification ?? null, noCrimeReason: command.decision.noCrimeReason ?? null },
      };
      break;
    case 'record-attendance':
      if (command.event === 'dispatched') {
        next.attendance.dispatchedAt = now;
        next.attendance.unit = command.unit ?? null;
      } else {
        next.attendance.arrivedAt = now;
      }
      entry = { type: `attendance-${command.event}`, details: { unit: command.unit ?? next.attendance.unit } };
      break;
    case 'refer':
      next.referrals.push({ agency: command.referral.agency, kind: command.referral.kind });
      entry = { type: 'referral', details: { kind: command.referral.kind, agency: command.referral.agency } };
      break;
    case 'add-note':
      next.noteCount += 1;
      entry = { type: 'note', details: { note: next.noteCount, kind: command.kind ?? 'general' } };
      break;
    case 'resolve': {
      const firstContactResolution = command.resolution.outcome === 'resolved-at-first-contact';
      next.resolution = { ...command.resolution, firstContactResolution, closedAt: now, closedBy: actor };
      entry = { type: 'closed', details: { outcome: command.resolution.outcome, closingCategory: command.resolution.closingCategory, firstContactResolution } };
      break;
    }
    case 'escalate':
    case 'pause-clock':
    case 'resume-clock':
      entry = null; // the clock's own entry records these
      break;
    case 'acknowledge-alert': {
      const alert = state.alerts.find((candidate) => candidate.id === command.alert)!;
      next.alerts = state.alerts.filter((candidate) => candidate.id !== alert.id);
      entry = { type: 'alert-acknowledged', details: { alert: alert.id, kind: alert.kind, level: alert.level, role: alert.role, clock: alert.clock, action: command.action } };
      break;
    }
    case 'assign':
      next.assignee = command.assignee;
      next.team = command.team ?? state.team;
      entry = { type: command.reason === 'claim' ? 'claimed' : 'assigned', details: { from: state.assignee, to: next.assignee, fromTeam: state.team, team: next.team, reason: command.reason } };
      break;
    case 'caller-recontacted':
      entry = { type: 'caller-recontacted', details: { by: command.by, stage: state.stage } };
      break;
    case 'receive-message': {
      const conversation = next.conversation!;
      conversation.messagesIn += 1;
      // The wait is the public's: from when the message was sent, if it reached us later.
      conversation.awaitingReplySince ??= Date.parse(command.message.sentAt) < Date.parse(now) ? command.message.sentAt : now;
      entry = { type: 'message-received', details: { platform: command.message.platform, messages: conversation.messagesIn } };
      // Every message is screened as the first was: a risk it shows is added to the case's.
      const raised = raisedScreening(state, command.message.text, policy);
      if (raised) {
        next.screening = raised.screening;
        next.safeguardingRequired = next.safeguardingRequired || raised.screening.domesticAbuse || raised.screening.sexualOffence;
        extra.push({ type: 'screening-raised', details: { reasons: raised.reasons.join(','), riskMarker: raised.screening.riskMarker } });
      }
      break;
    }
    case 'send-message': {
      const conversation = next.conversation!;
      conversation.messagesOut += 1;
      conversation.awaitingReplySince = null;
      entry = { type: 'message-sent', details: { platform: conversation.platform, messages: conversation.messagesOut } };
      break;
    }
    case 'regrade':
      // A supervisor's regrade needs no approval, and settles any downgrade still waiting for one.
      next.grade = command.grade;
      next.pendingDowngrade = null;
      entry = { type: 'regraded', details: { fromGrade: state.grade, toGrade: command.grade, reason: command.reason } };
      break;
  }
  // A closed case has nothing left to act on: its open alerts close with it.
  if (command.type === 'resolve') next.alerts = [];
  next.stage = stageOf(next);
  const effects = clockEffects(state, next, command, actor, Date.parse(now), policy);
  next.clocks = effects.book.clocks;
  next.escalationLevel = effects.book.escalationLevel;
  const entries = [...(entry ? [entry] : []), ...extra, ...effects.entries];
  next.version = state.version + 1;
  next.timelineLength = state.timelineLength + entries.length;
  return { state: next, entries };
}

/** What a command does to the case's clocks and escalation level: the new clock book, and its timeline entries. */
function clockEffects(state: ContactCaseState, next: ContactCaseState, command: CaseCommand, actor: ActorRef, nowMs: number, policy: ContactPolicy): ClockStep {
  let book: ClockBook = { clocks: next.clocks, escalationLevel: next.escalationLevel };
  const entries: TimelineEntry[] = [];
  const then = (step: ClockStep) => {
    book = step.book;
    entries.push(...step.entries);
  };
  if (command.type === 'assess' && state.assessmentCount === 0) {
    // A person has assessed the submission: it has been actioned.
    then(meetClocks(book, 'digital-action', nowMs));
    then(meetClocks(book, 'digital-action-risk', nowMs));
  }
  if (next.grade !== null && next.grade !== state.grade) {
    then(
      regradeClocks(
        book,
        policy,
        { fromGrade: state.grade, toGrade: next.grade, area: next.area, dispatched: next.attendance.dispatchedAt !== null, arrived: next.attendance.arrivedAt !== null },
        nowMs,
      ),
    );
  }
  switch (command.type) {
    case 'record-incident': {
      const crime = needsCrimeDecision(next.incident);
      const [running] = activeClocks(book, 'crime-recording');
      // NCRS: recorded within 24 h of the report, so the clock runs from when the contact came in.
      if (crime && !running && next.crimeDecision === null && !book.clocks.some((clock) => clock.kind === 'crime-recording')) {
        then(armClock(book, policy, 'crime-recording', Date.parse(next.receivedAt)));
      }
      if (!crime && running) then(stopClocks(book, [running.id], 'not-a-crime-incident', nowMs));
      break;
    }
    case 'decide-crime':
      then(meetClocks(book, 'crime-recording', nowMs));
      if (command.decision.crimeRecorded && !book.clocks.some((clock) => clock.kind.startsWith('victim-update'))) {
        const enhanced = next.screening.vulnerable || next.screening.domesticAbuse || next.screening.sexualOffence;
        then(armClock(book, policy, enhanced ? 'victim-update-enhanced' : 'victim-update', nowMs));
        if (!command.decision.victimSupportOptOut) then(armClock(book, policy, 'victim-support-referral', nowMs));
      }
      break;
    case 'record-attendance':
      then(meetClocks(book, command.event === 'dispatched' ? 'unresourced' : 'attendance', nowMs));
      break;
    case 'refer':
      if (command.referral.kind === 'victim-support') then(meetClocks(book, 'victim-support-referral', nowMs));
      break;
    case 'add-note':
      if (command.kind === 'victim-update' && next.crimeDecision?.crimeRecorded) {
        then(meetClocks(book, 'victim-update', nowMs));
        then(meetClocks(book, 'victim-update-enhanced', nowMs));
        then(meetClocks(book, 'victim-update-cadence', nowMs));
        then(armClock(book, policy, 'victim-update-cadence', nowMs));
      }
      break;
    case 'escalate':
      then(escalate(book, policy, { reason: `manual:${command.reason}`, raisedFor: nowMs }));
      break;
    case 'pause-clock':
      then(pauseClock(book, command.clock, command.reason, actor, nowMs));
      break;
    case 'resume-clock':
      then(resumeClock(book, command.clock, actor, nowMs));
      break;
    case 'resolve':
      then(stopClocks(book, activeClocks(book).map((clock) => clock.id), 'case-closed', nowMs));
      break;
    case 'caller-recontacted':
      // Still untriaged and the caller has come back: the supervisor's role is told, to re-screen it.
      if (state.stage === 'triage') then(alertRole(book, policy, { role: 'team-leader', reason: 'manual:caller-recontacted', raisedFor: nowMs }));
      break;
    case 'receive-message': {
      // A later message showed a risk the case had not: a supervisor re-screens it while it is untriaged.
      if (state.stage === 'triage' && next.screening.reasons.length > state.screening.reasons.length) {
        then(alertRole(book, policy, { role: 'team-leader', reason: 'manual:risk-in-message', raisedFor: nowMs }));
      }
      // The first message waits for a first response, where the policy times one for the channel.
      const timed = (policy.firstResponseChannels ?? []).includes(next.channel) && hasClockRule(policy, 'first-response');
      if (timed && state.conversation?.messagesOut === 0 && !book.clocks.some((clock) => clock.kind === 'first-response')) {
        then(armClock(book, policy, 'first-response', Date.parse(next.conversation!.awaitingReplySince!)));
      }
      break;
    }
    case 'send-message':
      then(meetClocks(book, 'first-response', nowMs));
      break;
    case 'acknowledge-alert': {
      // Someone has acted on the breach: that clock stops escalating again.
      const alert = state.alerts.find((candidate) => candidate.id === command.alert);
      if (alert?.clock && alert.kind !== 'warning') then(quietenClock(book, alert.clock));
      break;
    }
  }
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
