import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
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
import type { ContactCaseActivities } from '../activities/contact-case.activities.js';
import type { ActorRef } from '../domain/actor.js';
import { caseDetails } from '../domain/case-summary.js';
import { caseArchiveWorkflowId } from './case-archive.messages.js';
import { caseArchiveWorkflow } from './case-archive.workflow.js';
import { activeClocks, fireAlarms, hasBreach, nextAlarm, nextDueAt } from '../domain/clocks.js';
import { applyCommand, type CaseCommand, type ContactCaseState, openCase, rejectionOf, type TimelineEntry } from '../domain/contact-case.js';
import {
  caseStateQuery,
  type CommandEnvelope,
  commandUpdates,
  type ContactIntake,
  INVALID_COMMAND,
  type RecordedEntry,
  STAGE_CONFLICT,
  SYSTEM_ACTOR,
} from './contact-case.messages.js';
import {
  caseBreachedKey,
  caseEscalationLevelKey,
  caseGradeKey,
  caseNextDueAtKey,
  caseOpenClocksKey,
  caseStageKey,
  caseVulnerableKey,
} from './search-attributes.js';

/** The kinds of the clocks still counting, for `CaseOpenClocks`. */
const openClockKinds = (state: ContactCaseState) => [...new Set(activeClocks(state).map((clock) => clock.kind))].sort();

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
 */
export async function contactCaseWorkflow(intake: ContactIntake): Promise<ContactCaseState> {
  const policy = intake.policy;
  const opened = openCase(
    {
      reference: intake.reference,
      channel: intake.channel,
      receivedAt: intake.receivedAt,
      policyVersion: policy.version,
      team: intake.team,
      assignee: intake.actor.subject,
      area: intake.area,
      flags: intake.flags,
      screening: intake.screening,
    },
    policy,
  );
  let state = opened.state;

  // Commands and alarms run one at a time, in the order they came, after the intake is recorded.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Adopts a recorded change, keeping the search attributes supervisors filter on current. */
  const adopt = (next: ContactCaseState) => {
    const before = state;
    state = next;
    const due = nextDueAt(state);
    const open = openClockKinds(state);
    const changed = [
      ...(before.stage !== state.stage ? [{ key: caseStageKey, value: state.stage }] : []),
      ...(before.screening.vulnerable !== state.screening.vulnerable ? [{ key: caseVulnerableKey, value: state.screening.vulnerable }] : []),
      ...(openClockKinds(before).join() !== open.join() ? [{ key: caseOpenClocksKey, value: open }] : []),
      ...(hasBreach(before) !== hasBreach(state) ? [{ key: caseBreachedKey, value: hasBreach(state) }] : []),
      ...(before.grade !== state.grade && state.grade !== null ? [{ key: caseGradeKey, value: state.grade }] : []),
      ...(before.escalationLevel !== state.escalationLevel ? [{ key: caseEscalationLevelKey, value: state.escalationLevel }] : []),
      ...(nextDueAt(before) !== due ? [{ key: caseNextDueAtKey, value: due === null ? null : new Date(due) }] : []),
    ];
    if (changed.length > 0) upsertSearchAttributes(changed);
    setCurrentDetails(caseDetails(state));
  };
  setCurrentDetails(caseDetails(state));

  // Queued before any handler is set: an update that arrives with the start is delivered the
  // moment its handler is set, and must still find the intake recorded first.
  const intakeRecorded = serially(async () => {
    await recordIntake({ intake, entries: recorded(opened.entries, `${intake.reference}:received`, 0), state });
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
          const { state: next, entries } = applyCommand(state, envelope.command, envelope.actor, at, policy);
          await applyCaseChange({
            reference: state.reference,
            changeId: envelope.commandId,
            actor: envelope.actor,
            at,
            command: envelope.command,
            entries: recorded(entries, envelope.commandId, state.timelineLength),
            state: next,
          });
          adopt(next);
          return state;
        }),
      { validator: (envelope: CommandEnvelope) => refuse(state, envelope.command, envelope.actor) },
    );
  }

  await intakeRecorded;

  // The clocks: sleep until the nearest alarm (a timer named after it), or until a change moves it.
  while (state.stage !== 'closed') {
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
      const next: ContactCaseState = JSON.parse(JSON.stringify(state)) as ContactCaseState;
      const entries: TimelineEntry[] = [];
      fireAlarms(next, entries, policy, now);
      if (entries.length === 0) return;
      next.version = state.version + 1;
      next.timelineLength = state.timelineLength + entries.length;
      const changeId = `${state.reference}:clocks:${next.version}`;
      const at = new Date(now).toISOString();
      await applyCaseChange({ reference: state.reference, changeId, actor: SYSTEM_ACTOR, at, command: null, entries: recorded(entries, changeId, state.timelineLength), state: next });
      adopt(next);
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
