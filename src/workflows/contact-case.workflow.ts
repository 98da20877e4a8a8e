import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  makeContinueAsNewFunc,
  ParentClosePolicy,
  patched,
  proxyActivities,
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
import { satisfactionSurveyWorkflow } from './satisfaction-survey.workflow.js';
import { satisfactionSurveyWorkflowId } from './satisfaction-survey.messages.js';
import { DRILL_TEAM } from '../domain/continuity-drill.js';
import { alertDeliveryWorkflowId } from './alert-delivery.messages.js';
import { alertDeliveryWorkflow } from './alert-delivery.workflow.js';
import { outboundDeliveryWorkflowId } from './outbound-delivery.messages.js';
import { outboundDeliveryWorkflow } from './outbound-delivery.workflow.js';
import { nextAlarm } from '../domain/clocks.js';
import { applyAlarms, applyCommand, type CaseCommand, type ContactCaseState, rejectionOf, type TimelineEntry, withRaisedAlerts } from '../domain/contact-case.js';
import { type CaseChange, type ContactIntake, openCaseFromIntake, type RecordedEntry, storedState, SYSTEM_ACTOR } from '../domain/case-records.js';
import { malformedTextProblems } from '../domain/well-formed-text.js';
import {
  type AppliedChange,
  CASE_CONTINUING,
  type CaseContinuation,
  caseStateQuery,
  COMMAND_ID_CONFLICT,
  type CommandEnvelope,
  commandUpdates,
  type ContactCaseActivities,
  INVALID_COMMAND,
  STAGE_CONFLICT,
  STORE_REFUSED,
  STORE_WRITE_FAILED,
} from './contact-case.messages.js';
import { caseOpenAlertKey, caseSearchAttributes, changedSearchAttributes } from './search-attributes.js';

/**
 * Case store writes are regular activities: the change is in the history (the activity's input)
 * before anything is written, so what the store holds is exactly what the history holds, however
 * often a workflow task or the write itself is retried (docs/architecture.md, "The case store: an
 * exact projection"). An outage is retried for as long as it lasts; a write that can never succeed
 * is given up by the activity after a few attempts, and the case carries on.
 */
const exactStore = proxyActivities<ContactCaseActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * Cases that started before writes were exact keep their local activities (a replayed history
 * must schedule what it scheduled then).
 */
const legacyStore = proxyLocalActivities<ContactCaseActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Command ids a run remembers (and hands on), at most: a client's retry comes within minutes, not thousands of commands later. */
const REMEMBERED_COMMANDS = 1_000;
/**
 * Commands one run takes before it continues as new, whatever Temporal suggests. The server takes
 * at most 2,000 distinct updates in one run and refuses the rest, and on the real server each
 * command costs more the more updates its run holds: fifty commands at once took 2.3 s with 150
 * before them and up to 15 s with 400 (a fresh run, 2.2 s again). At 250 a run's last fifty took
 * 10 to 13 s on a two-core machine and over 30 s under CI's load; at 100, at most 5.4 s.
 * Runs that began with 250 keep it, so that their histories replay as they ran.
 */
const COMMANDS_PER_RUN = 100;
const COMMANDS_PER_RUN_BEFORE = 250;

/** The store gave a change up for good (an administrators' store alert says why): the case carries on. */
const storeGaveUp = (error: unknown) =>
  error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && (error.cause.type === STORE_WRITE_FAILED || error.cause.type === STORE_REFUSED);

function refuse(state: ContactCaseState, command: CaseCommand, actor: ActorRef): void {
  // Text that is not well-formed Unicode could never be recorded: refused here too, whoever sends it.
  const malformed = malformedTextProblems(command);
  if (malformed.length > 0) {
    throw ApplicationFailure.create({ type: INVALID_COMMAND, message: malformed.map((problem) => problem.message).join('; '), details: [{ stage: state.stage, fields: malformed }], nonRetryable: true });
  }
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
 * Entries as the store keeps them: ids from the change's id, sequences after the case's last entry.
 * `/` never appears in an Idempotency-Key, so an entry's id cannot be another command's (before exact
 * writes the separator was `:`, which a key may hold).
 */
function recorded(entries: TimelineEntry[], changeId: string, previousLength: number, separator: '/' | ':'): RecordedEntry[] {
  return entries.map((entry, index) => ({ ...entry, id: index === 0 ? changeId : `${changeId}${separator}${index}`, sequence: previousLength + index + 1 }));
}

/** A command id a client may send again, with its request's hash: known to the run, or a conflict. */
function commandIdConflict(commandId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: COMMAND_ID_CONFLICT,
    message: `The id ${commandId.slice(commandId.indexOf('/') + 1)} was used for another request on this case`,
    details: [{ fields: [{ field: 'Idempotency-Key', message: 'already used for a different request' }] }],
    nonRetryable: true,
  });
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
  // Decided once per run: a case that started before writes were exact replays as it ran.
  const exact = patched('exact-store-writes');
  const separator = exact ? '/' : ':';
  const commandsPerRun = patched('commands-per-run-100') ? COMMANDS_PER_RUN : COMMANDS_PER_RUN_BEFORE;
  /** Writes one change to the store; undefined when the store gave it up (the case carries on). */
  const write = async (change: CaseChange): Promise<AppliedChange | undefined> => {
    if (!exact) return legacyStore.applyCaseChange(change);
    try {
      return await exactStore.writeCaseChange(change);
    } catch (error) {
      if (storeGaveUp(error)) return undefined;
      throw error;
    }
  };
  /** The commands taken that a client may send again, by id, with their requests' hashes (oldest first). */
  const commands = new Map<string, string>(Object.entries(continued?.commands ?? {}));
  const remember = (envelope: CommandEnvelope) => {
    if (!exact || !envelope.requestHash) return;
    commands.set(envelope.commandId, envelope.requestHash);
    if (commands.size > REMEMBERED_COMMANDS) commands.delete(commands.keys().next().value!);
  };
  /** True when the command was taken before (a repeat: the case is answered as it stands); a conflict when the id came with another request. */
  const takenBefore = (envelope: CommandEnvelope): boolean => {
    const known = commands.get(envelope.commandId);
    if (known === undefined) return false;
    if (envelope.requestHash !== undefined && known !== envelope.requestHash) throw commandIdConflict(envelope.commandId);
    return true;
  };
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
  /**
   * As `serially`, for work that can answer before it is done: the answer is given as soon as it is
   * known, and the queue waits for `after` (the change's store write, and what follows from it)
   * before the next command or alarm is taken.
   */
  const answeringEarly = <T>(work: () => Promise<{ answer: T; after?: Promise<unknown> }>): Promise<T> => {
    const run = queue.then(work);
    queue = run.then((done) => done.after).catch(() => undefined);
    return run.then((done) => done.answer);
  };
  /** Commands this run has taken; and, once it is about to continue as new, that it takes no more. */
  let takenThisRun = 0;
  let continuing = false;
  /** Every command answered and every change it made written: what must hold before the run ends. */
  const settled = async () => {
    for (;;) {
      await condition(allHandlersFinished);
      const tail = queue;
      await tail;
      if (tail === queue && allHandlersFinished()) return;
    }
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
        const record = { intake, entries: recorded(opened.entries, `${intake.reference}${separator}received`, 0, separator), state: storedState(state) };
        if (!exact) return legacyStore.recordIntake(record);
        try {
          await exactStore.recordCaseIntake(record);
        } catch (error) {
          if (!storeGaveUp(error)) throw error;
        }
      })
    : Promise.resolve();

  setHandler(caseStateQuery, () => state);

  for (const update of Object.values(commandUpdates) as Array<UpdateDefinition<ContactCaseState, [CommandEnvelope]>>) {
    setHandler(
      update,
      (envelope) =>
        answeringEarly(async () => {
          takenThisRun += 1;
          if (takenBefore(envelope)) return { answer: state };
          // Checked again here: an earlier command may have changed the case since validation.
          refuse(state, envelope.command, envelope.actor);
          const at = new Date().toISOString();
          const applied = applyCommand(state, envelope.command, envelope.actor, at, policy);
          const entries = recorded(applied.entries, envelope.commandId, state.timelineLength, separator);
          const next = withRaisedAlerts(applied.state, entries);
          remember(envelope);
          const change: CaseChange = { reference: state.reference, changeId: envelope.commandId, actor: envelope.actor, at, command: envelope.command, entries, state: storedState(next) };
          const afterWrite = async (written: AppliedChange | undefined) => {
            await deliver(written?.alertDeliveries);
            if (envelope.command.type === 'send-message') {
              // The reply goes out apart from the case (a platform that is down never holds it up), once its record is written.
              const input = { kind: 'reply' as const, id: envelope.commandId };
              await startChild(outboundDeliveryWorkflow, { workflowId: outboundDeliveryWorkflowId(input), args: [input], parentClosePolicy: ParentClosePolicy.ABANDON });
            }
          };
          if (!exact) {
            // As cases that started before exact writes ran it: the answer after the write.
            const written = await write(change);
            adopt(next);
            await afterWrite(written);
            return { answer: state };
          }
          // The command is the case's now (the history holds it): answered at once, while its
          // write (whose input the history also holds) runs before the next command is taken.
          adopt(next);
          return { answer: state, after: write(change).then(afterWrite) };
        }),
      {
        validator: (envelope: CommandEnvelope) => {
          // Commands that kept coming would keep the run from ever ending: while it moves to the
          // next run, each is turned back (not written, so it leaves no trace) to be sent again there.
          if (continuing) throw ApplicationFailure.create({ type: CASE_CONTINUING, message: 'The case is moving to a new run: send the command again', nonRetryable: true });
          if (!takenBefore(envelope)) refuse(state, envelope.command, envelope.actor);
        },
      },
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
    if (workflowInfo().continueAsNewSuggested || (exact && takenThisRun >= commandsPerRun)) {
      // Every accepted command is answered and written by this run; then the case goes on in a new one.
      continuing = true;
      await settled();
      const carried: CaseContinuation = { state, previousRunId: workflowInfo().runId, ...(exact ? { commands: Object.fromEntries(commands) } : {}) };
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
      const changeId = exact ? `${state.reference}/clocks/${fired.state.version}` : `${state.reference}:clocks:${fired.state.version}`;
      const entries = recorded(fired.entries, changeId, state.timelineLength, separator);
      const next = withRaisedAlerts(fired.state, entries);
      const written = await write({ reference: state.reference, changeId, actor: SYSTEM_ACTOR, at: new Date(now).toISOString(), command: null, entries, state: storedState(next) });
      adopt(next);
      await deliver(written?.alertDeliveries);
    });
  }
  // Answer every accepted command, and write every change, before the workflow completes.
  await settled();
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
  // Under a policy that asks (none before 2026.12-national-defaults-6, whose histories replay as
  // they ran), the caller is asked how it went: decided and sent apart from the case. A continuity
  // drill's synthetic cases have no one to ask.
  if (policy.satisfaction && state.team !== DRILL_TEAM) {
    await startChild(satisfactionSurveyWorkflow, {
      workflowId: satisfactionSurveyWorkflowId(state.reference),
      args: [{ reference: state.reference, rule: policy.satisfaction }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  }
  return state;
}
