import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorRef } from '../domain/actor.js';
import type { CaseChange, IntakeRecord } from '../domain/case-records.js';
import type { CaseCommand, ContactCaseState } from '../domain/contact-case.js';

/** The contact case workflow's contract, shared by the API and the workflow. */
export const contactCaseWorkflowType = 'contactCaseWorkflow';
export const contactCaseWorkflowId = (reference: string) => `contact-${reference}`;

/** What a case's run hands to the next when it continues as new: the case exactly as it stands. */
export interface CaseContinuation {
  state: ContactCaseState;
  /** The run that continued as this one: the new run has its history archived. */
  previousRunId: string;
}

/** Every command travels with the person who gave it and an id that makes a retry harmless. */
export interface CommandEnvelope<C extends CaseCommand = CaseCommand> {
  commandId: string;
  actor: ActorRef;
  command: C;
}

type Of<T extends CaseCommand['type']> = CommandEnvelope<Extract<CaseCommand, { type: T }>>;

/** Failure types an update is refused with: the API maps them to 409 and 422. */
export const STAGE_CONFLICT = 'StageConflict';
export const INVALID_COMMAND = 'InvalidCommand';

export const caseStateQuery = defineQuery<ContactCaseState>('caseState');

export const submitAssessmentUpdate = defineUpdate<ContactCaseState, [Of<'assess'>]>('submitAssessment');
export const decideDowngradeUpdate = defineUpdate<ContactCaseState, [Of<'decide-downgrade'>]>('decideDowngrade');
export const recordIncidentUpdate = defineUpdate<ContactCaseState, [Of<'record-incident'>]>('recordIncident');
export const recordCrimeDecisionUpdate = defineUpdate<ContactCaseState, [Of<'decide-crime'>]>('recordCrimeDecision');
export const recordAttendanceUpdate = defineUpdate<ContactCaseState, [Of<'record-attendance'>]>('recordAttendance');
export const addReferralUpdate = defineUpdate<ContactCaseState, [Of<'refer'>]>('addReferral');
export const addNoteUpdate = defineUpdate<ContactCaseState, [Of<'add-note'>]>('addNote');
export const resolveCaseUpdate = defineUpdate<ContactCaseState, [Of<'resolve'>]>('resolveCase');
export const escalateCaseUpdate = defineUpdate<ContactCaseState, [Of<'escalate'>]>('escalateCase');
export const pauseClockUpdate = defineUpdate<ContactCaseState, [Of<'pause-clock'>]>('pauseClock');
export const resumeClockUpdate = defineUpdate<ContactCaseState, [Of<'resume-clock'>]>('resumeClock');
export const acknowledgeAlertUpdate = defineUpdate<ContactCaseState, [Of<'acknowledge-alert'>]>('acknowledgeAlert');
export const assignCaseUpdate = defineUpdate<ContactCaseState, [Of<'assign'>]>('assignCase');
export const regradeCaseUpdate = defineUpdate<ContactCaseState, [Of<'regrade'>]>('regradeCase');
export const callerRecontactedUpdate = defineUpdate<ContactCaseState, [Of<'caller-recontacted'>]>('callerRecontacted');
export const receiveMessageUpdate = defineUpdate<ContactCaseState, [Of<'receive-message'>]>('receiveMessage');
export const sendMessageUpdate = defineUpdate<ContactCaseState, [Of<'send-message'>]>('sendMessage');

/** Each command's update, by command type. */
export const commandUpdates = {
  assess: submitAssessmentUpdate,
  'decide-downgrade': decideDowngradeUpdate,
  'record-incident': recordIncidentUpdate,
  'decide-crime': recordCrimeDecisionUpdate,
  'record-attendance': recordAttendanceUpdate,
  refer: addReferralUpdate,
  'add-note': addNoteUpdate,
  resolve: resolveCaseUpdate,
  escalate: escalateCaseUpdate,
  'pause-clock': pauseClockUpdate,
  'resume-clock': resumeClockUpdate,
  'acknowledge-alert': acknowledgeAlertUpdate,
  assign: assignCaseUpdate,
  regrade: regradeCaseUpdate,
  'caller-recontacted': callerRecontactedUpdate,
  'receive-message': receiveMessageUpdate,
  'send-message': sendMessageUpdate,
} as const satisfies Record<CaseCommand['type'], unknown>;

/** What writing a change leaves the workflow to do. */
export interface AppliedChange {
  /** Alerts the change raised whose role has a webhook: each gets a delivery workflow of its own. */
  alertDeliveries: string[];
}

/** The activities the workflow calls, as they see them; the worker's provider implements them. */
export interface ContactCaseActivities {
  /** Writes the contact, the case as it opens, and its first timeline entries (idempotent). */
  recordIntake(record: IntakeRecord): Promise<void>;
  /**
   * Writes one change to the case (idempotent). Histories recorded before deliveries existed
   * answer nothing here, which the workflow reads as no deliveries.
   */
  applyCaseChange(change: CaseChange): Promise<AppliedChange | undefined>;
}
