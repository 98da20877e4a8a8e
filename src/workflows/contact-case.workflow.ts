import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { ContactCaseActivities } from '../activities/contact-case.activities.js';
import type { ActorRef } from '../domain/actor.js';
import { applyCommand, type CaseCommand, type ContactCaseState, initialCaseState, rejectionOf } from '../domain/contact-case.js';
import {
  caseStateQuery,
  type CommandEnvelope,
  commandUpdates,
  type ContactIntake,
  INVALID_COMMAND,
  STAGE_CONFLICT,
} from './contact-case.messages.js';
import { caseGradeKey, caseStageKey } from './search-attributes.js';

const { recordIntake, applyCaseChange } = proxyActivities<ContactCaseActivities>({
  // One short database transaction: if the worker running it dies, another retries it soon.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

function refuse(state: ContactCaseState, command: CaseCommand, actor: ActorRef): void {
  const rejection = rejectionOf(state, command, actor);
  if (!rejection) return;
  throw ApplicationFailure.create({
    type: rejection.kind === 'stage' ? STAGE_CONFLICT : INVALID_COMMAND,
    message: rejection.message,
    details: [{ stage: state.stage, fields: rejection.fields }],
    nonRetryable: true,
  });
}

/**
 * One public contact, from first contact to closure. Every command is an update: its validator
 * refuses what the case's stage or the rules do not allow (without touching the history), and its
 * handler applies the command, has the case store written, and answers with the new state.
 */
export async function contactCaseWorkflow(intake: ContactIntake): Promise<ContactCaseState> {
  let state = initialCaseState({
    reference: intake.reference,
    channel: intake.channel,
    receivedAt: intake.receivedAt,
    policyVersion: intake.policyVersion,
    team: intake.team,
    assignee: intake.actor.subject,
    flags: intake.flags,
    screening: intake.screening,
  });

  // Commands run one at a time, in the order they were accepted, after the intake is recorded.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  // Queued before any handler is set: an update that arrives with the start is delivered the
  // moment its handler is set, and must still find the intake recorded first.
  const intakeRecorded = serially(async () => {
    await recordIntake(intake);
    state = { ...state, version: 1 };
  });

  setHandler(caseStateQuery, () => state);

  for (const update of Object.values(commandUpdates) as Array<UpdateDefinition<ContactCaseState, [CommandEnvelope]>>) {
    setHandler(
      update,
      (envelope) =>
        serially(async () => {
          // Checked again here: an earlier command may have changed the case since validation.
          refuse(state, envelope.command, envelope.actor);
          const at = new Date().toISOString();
          const { state: next, entry } = applyCommand(state, envelope.command, envelope.actor, at);
          await applyCaseChange({ reference: state.reference, commandId: envelope.commandId, actor: envelope.actor, at, command: envelope.command, entry, state: next });
          const gradeChanged = next.grade !== state.grade;
          state = next;
          upsertSearchAttributes([
            { key: caseStageKey, value: state.stage },
            ...(gradeChanged && state.grade !== null ? [{ key: caseGradeKey, value: state.grade }] : []),
          ]);
          return state;
        }),
      { validator: (envelope: CommandEnvelope) => refuse(state, envelope.command, envelope.actor) },
    );
  }

  await intakeRecorded;
  await condition(() => state.stage === 'closed');
  // Answer every accepted command before the workflow completes.
  await condition(allHandlersFinished);
  return state;
}
