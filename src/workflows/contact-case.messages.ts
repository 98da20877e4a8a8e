import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorRef } from '../domain/actor.js';
import type { Channel, ChannelDetails } from '../domain/channels.js';
import type { CaseCommand, ContactCaseState, TimelineEntry } from '../domain/contact-case.js';
import type { ContactPolicy } from '../domain/policy.js';
import type { RiskFlag, RiskScreening } from '../domain/risk-screening.js';

/** The contact case workflow's contract, shared by the API and the workflow. */
export const contactCaseWorkflowType = 'contactCaseWorkflow';
export const contactCaseWorkflowId = (reference: string) => `contact-${reference}`;

/** What the caller told us and how to reach them: personal data, kept only in encrypted payloads and the case store. */
export interface CaseRecordDetails {
  caller: { name?: string; phone?: string; email?: string; address?: string; dateOfBirth?: string; anonymous?: boolean };
  narrative: string;
  location?: { description?: string; postcode?: string; area?: 'urban' | 'rural' };
  interpreterLanguage?: string;
  channelDetails?: ChannelDetails;
}

export interface ContactIntake {
  reference: string;
  channel: Channel;
  receivedAt: string;
  /** The policy in force when the contact came in, whole: the case keeps it until it closes. */
  policy: ContactPolicy;
  team: string;
  area: 'urban' | 'rural';
  actor: ActorRef;
  flags: RiskFlag[];
  screening: RiskScreening;
  details: CaseRecordDetails;
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
} as const satisfies Record<CaseCommand['type'], unknown>;

/** What the intake activity writes: the contact, the case as it opens, and its first timeline entries. */
export interface IntakeRecord {
  intake: ContactIntake;
  entries: RecordedEntry[];
  state: ContactCaseState;
}

/** Who changes a case when no person does: the rule that fired is named in the entry. */
export const SYSTEM_ACTOR: ActorRef = { subject: 'system', role: 'system' };

/** A timeline entry as the case store keeps it: its id makes a retried write harmless. */
export interface RecordedEntry extends TimelineEntry {
  id: string;
  sequence: number;
}

/**
 * What the case store is told after each change (written by an idempotent activity): a command, or
 * the case's clocks firing (`command` null, actor {@link SYSTEM_ACTOR}).
 */
export interface CaseChange {
  reference: string;
  changeId: string;
  actor: ActorRef;
  at: string;
  command: CaseCommand | null;
  entries: RecordedEntry[];
  state: ContactCaseState;
}
