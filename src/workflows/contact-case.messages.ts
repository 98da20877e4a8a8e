import type { UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorRef } from '../domain/actor.js';
import type { CaseChange, IntakeRecord } from '../domain/case-records.js';
import { caseCommands } from '../domain/commands/index.js';
import type { CaseCommand, CaseCommandType, ContactCaseState } from '../domain/contact-case.js';

/** The contact case workflow's contract, shared by the API and the workflow. */
export const contactCaseWorkflowType = 'contactCaseWorkflow';
export const contactCaseWorkflowId = (reference: string) => `contact-${reference}`;
/** The case a workflow id is the workflow of, or undefined for any other workflow. */
export const referenceOfWorkflowId = (workflowId: string): string | undefined => (workflowId.startsWith('contact-') ? workflowId.slice('contact-'.length) : undefined);

/**
 * Command ids, in one grammar: the case's reference, a kind, and what makes it unique. `/` parts
 * them, and an Idempotency-Key never holds one, so no key a client chooses can make the id of
 * another command (the system's own, or another client's), nor of a timeline entry (`<id>/<n>`).
 */
export const commandIds = {
  /** A client's command sent with an Idempotency-Key. */
  keyed: (reference: string, key: string) => `${reference}/key/${key}`,
  /** A client's command without a key: an id of its own (a UUID), so never a repeat. */
  generated: (reference: string, id: string) => `${reference}/auto/${id}`,
  /** The same caller came back (`by`: the new contact's reference): a supervisor re-screens this case. */
  recontact: (reference: string, by: string) => `${reference}/recontact/${by}`,
  /** A message from the public, by the key of its platform's id. */
  message: (reference: string, inboundKey: string) => `${reference}/message/${inboundKey.slice(0, 40)}`,
};

/** What a case's run hands to the next when it continues as new: the case exactly as it stands. */
export interface CaseContinuation {
  state: ContactCaseState;
  /** The run that continued as this one: the new run has its history archived. */
  previousRunId: string;
  /**
   * The commands the case has taken that a client may send again (by their Idempotency-Key or the
   * system's own id), with the hash of each request: a repeat across runs changes nothing, and the
   * same id with another request is refused. Absent on runs from before it was carried.
   */
  commands?: Record<string, string>;
}

/** Every command travels with the person who gave it and an id that makes a retry harmless. */
export interface CommandEnvelope<C extends CaseCommand = CaseCommand> {
  commandId: string;
  actor: ActorRef;
  command: C;
  /**
   * The hash of the request the id was given for (its route and body, and who sent it): the same id
   * with another request is refused, never answered with the first one's result. Absent on commands
   * from before ids were bound to their requests.
   */
  requestHash?: string;
}

/**
 * The update id a command is sent with: its id and its request together, so that Temporal answers
 * a repeat of the same request with the first result, and hands the same id with another request to
 * the workflow, which refuses it.
 */
export const commandUpdateId = (envelope: Pick<CommandEnvelope, 'commandId' | 'requestHash'>) => (envelope.requestHash ? `${envelope.commandId}@${envelope.requestHash}` : envelope.commandId);

type Of<T extends CaseCommand['type']> = CommandEnvelope<Extract<CaseCommand, { type: T }>>;

/** Failure types an update is refused with: the API maps them to 409 and 422. */
export const STAGE_CONFLICT = 'StageConflict';
export const INVALID_COMMAND = 'InvalidCommand';
/** A command id used before for another request (the API answers 422 naming `Idempotency-Key`). */
export const COMMAND_ID_CONFLICT = 'CommandIdConflict';
/**
 * Not a refusal: the case is moving to a new run (continue-as-new) and takes no command until it
 * has; the sender sends the same update again, which the new run takes (the API does this itself).
 */
export const CASE_CONTINUING = 'CaseContinuing';

/** How a case store write fails for good (the workflow carries on; an administrators' store alert says why). */
export const STORE_WRITE_FAILED = 'StoreWriteFailed';
export const STORE_REFUSED = 'StoreRefused';

export const caseStateQuery = defineQuery<ContactCaseState>('caseState');

/** Each command's update, by command type, named as its module in the domain's registry says. */
export const commandUpdates = Object.fromEntries(Object.entries(caseCommands).map(([type, { update }]) => [type, defineUpdate(update)])) as {
  readonly [T in CaseCommandType]: UpdateDefinition<ContactCaseState, [Of<T>]>;
};

export const addNoteUpdate = commandUpdates['add-note'];

/** What writing a change leaves the workflow to do. */
export interface AppliedChange {
  /** Alerts the change raised whose role has a webhook: each gets a delivery workflow of its own. */
  alertDeliveries: string[];
}

/** The activities the workflow calls, as they see them; the worker's provider implements them. */
export interface ContactCaseActivities {
  /**
   * Writes the contact, the case as it opens, and its first timeline entries: a regular activity,
   * so what it writes is what the history holds (see docs/architecture.md). Fails for good with
   * STORE_WRITE_FAILED (a data error, tried STORE_WRITE_DATA_ERROR_ATTEMPTS times) or STORE_REFUSED.
   */
  recordCaseIntake(record: IntakeRecord): Promise<AppliedChange>;
  /** Writes one change to the case, exactly once, on top of the one before it (as recordCaseIntake). */
  writeCaseChange(change: CaseChange): Promise<AppliedChange>;
  /** Runs before exact writes (local activities): kept for the cases that started under them. */
  recordIntake(record: IntakeRecord): Promise<void>;
  /**
   * Runs before exact writes. Histories recorded before deliveries existed answer nothing here,
   * which the workflow reads as no deliveries.
   */
  applyCaseChange(change: CaseChange): Promise<AppliedChange | undefined>;
}
