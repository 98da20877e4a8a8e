import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  makeContinueAsNewFunc,
  ParentClosePolicy,
  patched,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { ActorRef } from '../domain/actor.js';
import { caseDetails } from '../domain/case-summary.js';
import { caseArchiveWorkflowId, caseRunArchiveWorkflowId } from './case-archive.messages.js';
import { caseArchiveWorkflow } from './case-archive.workflow.js';
import { alertDeliveryWorkflowId } from './alert-delivery.messages.js';
import { alertDeliveryWorkflow } from './alert-delivery.workflow.js';
import { outboundDeliveryWorkflowId } from './outbound-delivery.messages.js';
import { outboundDeliveryWorkflow } from './outbound-delivery.workflow.js';
import { nextAlarm } from '../domain/clocks.js';
import { applyAlarms, applyCommand, type CaseCommand, type ContactCaseState, rejectionOf, type TimelineEntry, withRaisedAlerts } from '../domain/contact-case.js';
import { type ContactIntake, openCaseFromIntake, type RecordedEntry, SYSTEM_ACTOR } from '../domain/case-records.js';
import {
  type CaseContinuation,
  caseStateQuery,
  type CommandEnvelope,
  commandUpdates,
  type ContactCaseActivities,
  INVALID_COMMAND,
  STAGE_CONFLICT,
} from './contact-case.messages.js';
import { caseOpenAlertKey, caseSearchAttributes, changedSearchAttributes } from './search-attributes.js';

/**
 * Case store writes are local activities: each is one short, idempotent database transaction, run
 * by the worker inside the workflow task that needs it. A clock alarm or a command then costs half
 * the round trips to the Temporal server, which is what a storm of alarms is bound by (measured in
 * `npm run bench:clocks`). If the worker dies mid-write, the next worker replays and writes again,
 * harmlessly.
 */
const { recordIntake, applyCaseChange } = proxyLocalActivities<ContactCaseActivities>({
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

/** Entries as the store keeps them: ids from the change's id, sequences after the case's last entry. */
function recorded(entries: TimelineEntry[], changeId: string, previousLength: number): RecordedEntry[] {
  return entries.map((entry, index) => ({ ...entry, id: index === 0 ? changeId : `${changeId}:${index}`, sequence: previousLength + index + 1 }));
}

/**
 * One public contact, from first contact to closure. Every command is an update: its validator
 * refuses what the case's stage or the rules do not allow (without touching the history), and its
 * handler applies the command, has the case store written, and answers with the new state. Every
 * SLA clock is a durable timer here: the nearest alarm of any clock is always one named timer.
 *
 * A case may stay open for months (a crime's 28-day victim updates, notes without limit). When its
 * history grows long enough that Temporal suggests it, the workflow continues as a new run of
 * itself, carrying the case (its state and clocks, exactly) and the intake with its policy; the new
 * run has the finished run's history archived, so that the archive and replay cover every run.
 */
export async function contactCaseWorkflow(intake: ContactIntake, continued?: CaseContinuation): Promise<ContactCaseState> {
  const policy = intake.policy;
  const opened = continued ? null : openCaseFromIntake(intake);
  // A run continued from one that kept no alerts starts with none open.
  let state: ContactCaseState = continued ? { ...continued.state, alerts: continued.state.alerts ?? [] } : opened!.state;

  // Commands and alarms run one at a time, in the order they came, after the intake is recorded.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Starts the delivery of each alert that has a webhook to reach: apart from the case, so a failing endpoint never holds it up. */
  const deliver = async (alertIds: readonly string[] | undefined) => {
    for (const alertId of alertIds ?? []) {
      await startChild(alertDeliveryWorkflow, { workflowId: alertDeliveryWorkflowId(alertId), args: [{ alertId }], parentClosePolicy: ParentClosePolicy.ABANDON });
    }
  };

  /** Adopts a recorded change, keeping the search attributes supervisors filter on current. */
  const adopt = (next: ContactCaseState) => {
    let changed = changedSearchAttributes(state, next);
    // Histories from before CaseOpenAlert existed replay without it.
    if (changed.some((pair) => pair.key.name === caseOpenAlertKey.name) && !patched('case-open-alert-search-attribute')) {
      changed = changed.filter((pair) => pair.key.name !== caseOpenAlertKey.name);
    }
    state = next;
    if (changed.length > 0) upsertSearchAttributes(changed);
    setCurrentDetails(caseDetails(state));
  };
  setCurrentDetails(caseDetails(state));

  // Queued before any handler is set: an update that arrives with the start is delivered the
  // moment its handler is set, and must still find the intake recorded first.
  const intakeRecorded = opened
    ? serially(async () => {
        await recordIntake({ intake, entries: recorded(opened.entries, `${intake.reference}:received`, 0), state });
      })
    : Promise.resolve();

  setHandler(caseStateQuery, () => state);

  for (const update of Object.values(commandUpdates) as Array<UpdateDefinition<ContactCaseState, [CommandEnvelope]>>) {
    setHandler(
      update,
      (envelope) =>
        serially(async () => {
          // Checked again here: an earlier command may have changed the case since validation.
          refuse(state, envelope.command, envelope.actor);
          const at = new Date().toISOString();
          const applied = applyCommand(state, envelope.command, envelope.actor, at, policy);
          const entries = recorded(applied.entries, envelope.commandId, state.timelineLength);
          const next = withRaisedAlerts(applied.state, entries);
          const written = await applyCaseChange({ reference: state.reference, changeId: envelope.commandId, actor: envelope.actor, at, command: envelope.command, entries, state: next });
          adopt(next);
          await deliver(written?.alertDeliveries);
          if (envelope.command.type === 'send-message') {
            // The reply goes out apart from the case: a platform that is down never holds it up.
            const input = { kind: 'reply' as const, id: envelope.commandId };
            await startChild(outboundDeliveryWorkflow, { workflowId: outboundDeliveryWorkflowId(input), args: [input], parentClosePolicy: ParentClosePolicy.ABANDON });
          }
          return state;
        }),
      { validator: (envelope: CommandEnvelope) => refuse(state, envelope.command, envelope.actor) },
    );
  }

  await intakeRecorded;
  if (continued) {
    // The run before this one has closed: keep its history beyond the namespace's retention.
    const { workflowId } = workflowInfo();
    await startChild(caseArchiveWorkflow, {
      workflowId: caseRunArchiveWorkflowId(state.reference, continued.previousRunId),
      args: [{ reference: state.reference, workflowId, runId: continued.previousRunId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }

  // The clocks: sleep until the nearest alarm (a timer named after it), or until a change moves it.
  while (state.stage !== 'closed') {
    if (workflowInfo().continueAsNewSuggested) {
      // Every accepted command is answered by this run; then the case goes on in a new one.
      await condition(allHandlersFinished);
      const carried: CaseContinuation = { state, previousRunId: workflowInfo().runId };
      // The search attributes follow from the case, so the new run starts with them current.
      await makeContinueAsNewFunc<typeof contactCaseWorkflow>({ typedSearchAttributes: caseSearchAttributes(state) })(intake, carried);
    }
    const alarm = nextAlarm(state);
    const seen = state.version;
    if (alarm === null) {
      await condition(() => state.version !== seen);
      continue;
    }
    const wait = alarm.atMs - Date.now();
    if (wait > 0 && (await condition(() => state.version !== seen, wait, { summary: alarm.summary }))) continue;
    await serially(async () => {
      const now = Date.now();
      const fired = applyAlarms(state, policy, now);
      if (fired.entries.length === 0) return;
      const changeId = `${state.reference}:clocks:${fired.state.version}`;
      const entries = recorded(fired.entries, changeId, state.timelineLength);
      const next = withRaisedAlerts(fired.state, entries);
      const written = await applyCaseChange({ reference: state.reference, changeId, actor: SYSTEM_ACTOR, at: new Date(now).toISOString(), command: null, entries, state: next });
      adopt(next);
      await deliver(written?.alertDeliveries);
    });
  }
  // Answer every accepted command before the workflow completes.
  await condition(allHandlersFinished);
  // Guarded by patched(): histories recorded before this step existed still replay unchanged.
  if (patched('archive-history-on-close')) {
    const { workflowId, runId } = workflowInfo();
    await startChild(caseArchiveWorkflow, {
      workflowId: caseArchiveWorkflowId(state.reference),
      args: [{ reference: state.reference, workflowId, runId }],
      // It outlives this run: it waits for the run to close, then exports its whole history.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
  return state;
}
