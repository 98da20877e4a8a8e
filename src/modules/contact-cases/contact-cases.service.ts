import { Inject, Injectable } from '@nestjs/common';
import { isGrpcServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type ActorRef } from '../../domain/actor.js';
import { channelDetailProblems } from '../../domain/channels.js';
import { caseSummary } from '../../domain/case-summary.js';
import { type CaseClock, nextDueAt } from '../../domain/clocks.js';
import { type ContactPolicy } from '../../domain/policy.js';
import { type CaseCommand, closedCaseMessage, type ContactCaseState, priorityRank } from '../../domain/contact-case.js';
import { type CallerHistory, callerIdentifiers, isRepeatCaller } from '../../domain/caller-identity.js';
import { RiskFlag, screenContact } from '../../domain/risk-screening.js';
import { CallerIdentities } from './caller-identities.service.js';
import { type CaseRecordDetails, type ContactIntake, openCaseFromIntake } from '../../domain/case-records.js';
import {
  CASE_CONTINUING,
  COMMAND_ID_CONFLICT,
  commandIds,
  commandUpdateId,
  commandUpdates,
  contactCaseWorkflowId,
  contactCaseWorkflowType,
  caseStateQuery,
  INVALID_COMMAND,
  STAGE_CONFLICT,
} from '../../workflows/contact-case.messages.js';
import { canonicalJson, sha256 } from '../platform/common/canonical-json.js';
import { caseSearchAttributes } from '../../workflows/search-attributes.js';
import { DomainError, DomainErrorCode, type FieldProblem } from '../platform/errors/domain-error.js';
import { AppLogger } from '../platform/logging/app-logger.js';
import { PolicyService } from '../policy/policy.service.js';
import { TemporalClientService } from '../platform/temporal/temporal-client.module.js';
import { CaseQueries, type CaseRecordView } from './case-queries.service.js';
import { CaseStore } from './case-store.service.js';
import { CaseStoreWatch } from './case-store-watch.service.js';
import { caseCommands, intakes } from '../platform/telemetry/metrics.js';

export interface IntakeRequest extends CaseRecordDetails {
  channel: ContactIntake['channel'];
  receivedAt?: string;
  flags?: ContactIntake['flags'];
  /** Set when a platform connector's first message opens the case. */
  conversation?: ContactIntake['conversation'];
}

export interface IntakeResult {
  reference: string;
  workflowId: string;
  stage: 'triage';
  riskMarker: 'IR' | null;
  domesticAbuse: boolean;
  sexualOffence: boolean;
  vulnerable: boolean;
  policyVersion: string;
  /** The clocks the contact starts (for example a web submission's 48 h or 24 h). */
  clocks: CaseClock[];
  /** 1 + the open cases ahead of this one when it was recorded. */
  queuePosition: number;
  /** False when the queue was longer than the count goes: the position is then a lower bound. */
  queuePositionExact: boolean;
  /** What earlier contacts from the same caller showed (none for an anonymous caller). */
  callerHistory: CallerHistory;
  replayed: boolean;
}

/**
 * How a case's workflow is started: its id, the intake as input, and the search attributes
 * supervisors filter on. A fresh reference must start a new workflow: finding one already there,
 * running or closed, means the case store and Temporal disagree, and two cases must never be
 * mixed. Only an intake with an Idempotency-Key (`keyed`) may find its case already running: its
 * reference belongs to that key, so the workflow there is this same request's, started by a repeat.
 * `opened` is the case as the intake opens it, when the caller has it already.
 */
export function caseStartOptions(intake: ContactIntake, taskQueue: string, keyed = false, opened: ContactCaseState = openCaseFromIntake(intake).state) {
  return {
    workflowId: contactCaseWorkflowId(intake.reference),
    taskQueue,
    args: [intake] as [ContactIntake],
    workflowIdConflictPolicy: keyed ? ('USE_EXISTING' as const) : ('FAIL' as const),
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    typedSearchAttributes: new TypedSearchAttributes(caseSearchAttributes(opened)),
    // What the Temporal UI shows on the case: no personal data (the details are set by the workflow).
    staticSummary: caseSummary(opened),
    staticDetails: `Contact case opened ${intake.receivedAt} under policy ${intake.policy.version}; team ${intake.team}.`,
  };
}

/**
 * A namespace without the case search attributes refuses every new case: that is the system's
 * set-up, not the request, so it is a 503 saying what to do (and /api/v1/health/details names what is missing).
 */
function notReadyOr(error: unknown): unknown {
  // The client's error says only that the start failed; the server's words are in its cause.
  const message = [error, (error as { cause?: unknown } | undefined)?.cause].map((part) => (part as Error | undefined)?.message ?? '').find((text) => /search attribute/i.test(text)) ?? '';
  if (/search attribute/i.test(message) && /(not defined|no mapping|unknown|not registered|invalid)/i.test(message)) {
    return new DomainError(DomainErrorCode.DependencyUnavailable, `The Temporal namespace is not set up for cases (${message}). An administrator runs npm run temporal:setup; /api/v1/health/details names what is missing.`);
  }
  return error;
}

/** The earlier cases a new one is linked to: the latest, and every one still open. */
const linkedTo = (history: CallerHistory) => [...new Set([...(history.lastReference ? [history.lastReference] : []), ...history.openReferences])];

/** A contact may be recorded after the fact, but not from the future (allowing for clock skew). */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Whether Temporal could not take an update just now, and the same update, sent again with the
 * same id, will be taken: the worker did not get to it ("wasn't processed by worker", as when its
 * cached case was evicted or a worker restarted), the case already has as many updates in flight
 * as the server allows, or the call itself timed out. None of these is a refusal by the case.
 */
function isTransientUpdateFailure(error: unknown): boolean {
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  if (error instanceof WorkflowUpdateFailedError) {
    const type = error.cause instanceof ApplicationFailure ? error.cause.type : undefined;
    // The case was moving to a new run: the new run takes the command.
    if (type === CASE_CONTINUING) return true;
    if (type === STAGE_CONFLICT || type === INVALID_COMMAND || type === COMMAND_ID_CONFLICT) return false;
    return /wasn't processed by worker|not processed by worker/i.test(error.cause?.message ?? error.message);
  }
  // RESOURCE_EXHAUSTED: too many updates in flight on the case, or the namespace's rate limit.
  const exhausted = (candidate: unknown) => isGrpcServiceError(candidate) && (candidate.code as number) === GRPC_RESOURCE_EXHAUSTED;
  return exhausted(error) || exhausted((error as { cause?: unknown } | undefined)?.cause);
}

const GRPC_RESOURCE_EXHAUSTED = 8;

/**
 * At most `limit` commands in flight to one case from this process; the rest wait their turn, in
 * the order they came. Temporal takes ten updates in flight per case; past that it refuses them.
 */
class PerCaseTurns {
  private readonly cases = new Map<string, { running: number; waiting: Array<() => void> }>();

  constructor(private readonly limit: number) {}

  /** Waits for a turn on `key` (false when `deadline` passes first); `release` gives it back. */
  async take(key: string, deadline: number): Promise<boolean> {
    const turns = this.cases.get(key) ?? { running: 0, waiting: [] };
    this.cases.set(key, turns);
    if (turns.running < this.limit) {
      turns.running += 1;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const granted = () => {
        clearTimeout(timer);
        turns.running += 1;
        resolve(true);
      };
      const timer = setTimeout(() => {
        turns.waiting.splice(turns.waiting.indexOf(granted), 1);
        this.forget(key, turns);
        resolve(false);
      }, Math.max(0, deadline - Date.now()));
      turns.waiting.push(granted);
    });
  }

  release(key: string): void {
    const turns = this.cases.get(key);
    if (!turns) return;
    turns.running -= 1;
    turns.waiting.shift()?.();
    this.forget(key, turns);
  }

  private forget(key: string, turns: { running: number; waiting: unknown[] }): void {
    if (turns.running === 0 && turns.waiting.length === 0) this.cases.delete(key);
  }
}

/** How long to wait before sending an update again: 50 ms, doubling to 1 s, with jitter. */
const retryDelay = (attempt: number) => Math.min(1_000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);

/** How a command ended, for the metrics: a closed set of words, never the error's text. */
function commandOutcome(error: unknown): string {
  if (!(error instanceof DomainError)) return 'error';
  switch (error.code) {
    case DomainErrorCode.UpdateRejected:
    case DomainErrorCode.InvalidInput:
    case DomainErrorCode.RuleRefused:
      return 'refused';
    case DomainErrorCode.StageConflict:
    case DomainErrorCode.IdempotencyConflict:
      return 'conflict';
    case DomainErrorCode.DependencyUnavailable:
      return 'busy';
    case DomainErrorCode.NotFound:
      return 'not-found';
    default:
      return 'error';
  }
}

/** The handlers' operations on contact cases: intake, commands (workflow updates) and reads. */
@Injectable()
export class ContactCasesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly temporal: TemporalClientService,
    private readonly store: CaseStore,
    private readonly queries: CaseQueries,
    private readonly policies: PolicyService,
    private readonly logger: AppLogger,
    private readonly callers: CallerIdentities,
    private readonly watch: CaseStoreWatch,
  ) {
    this.turns = new PerCaseTurns(config.commands.inFlightPerCase);
  }

  private readonly turns: PerCaseTurns;

  /**
   * `options` is for the system's own cases alone (a continuity drill's): a team, and a policy in
   * place of the force's current one. Requests from outside never set it.
   */
  async intake(request: IntakeRequest, actor: ActorRef, idempotency?: { key: string; requestHash: string }, options: { team?: string; policy?: ContactPolicy } = {}): Promise<IntakeResult> {
    const problems: FieldProblem[] = channelDetailProblems(request.channel, request.channelDetails);
    const arrivedAt = request.receivedAt ? new Date(request.receivedAt) : new Date();
    if (problems.length > 0) throw new DomainError(DomainErrorCode.InvalidInput, `Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
    if (arrivedAt.getTime() > Date.now() + FUTURE_SKEW_MS) {
      throw new DomainError(DomainErrorCode.RuleRefused, 'A contact cannot be received in the future', [{ field: 'receivedAt', message: 'receivedAt is in the future' }]);
    }

    await this.policies.ensureRecorded();
    const policy = options.policy ?? this.policies.current;
    const { reference, replayed, firstReceivedAt } = await this.store.allocateReference(this.config.force.code, arrivedAt.toISOString().slice(0, 10), idempotency);
    const receivedAt = !request.receivedAt && firstReceivedAt ? firstReceivedAt : arrivedAt;
    // Earlier contacts from the same caller (matched by keyed hashes, never the identifiers).
    const identifiers = callerIdentifiers(request.caller, request.channel, request.channelDetails);
    // The history leaves this contact out, so its own hashes are written at the same time (again for
    // a repeat: a repeat whose first try failed to start finds them taken back).
    const [callerHistory] = await Promise.all([this.callers.history(identifiers, policy.repeatCallers, receivedAt, reference), this.callers.record(reference, receivedAt, identifiers)]);
    const repeatCaller = identifiers.length > 0 && isRepeatCaller(callerHistory, policy.repeatCallers);
    const flags = repeatCaller && !(request.flags ?? []).includes(RiskFlag.RepeatCaller) ? [...(request.flags ?? []), RiskFlag.RepeatCaller] : (request.flags ?? []);
    const screening = screenContact({ channel: request.channel, flags, narrative: request.narrative, history: { repeatCaller, previouslyVulnerable: callerHistory.previouslyVulnerable } }, policy);
    const intake: ContactIntake = {
      reference,
      channel: request.channel,
      receivedAt: receivedAt.toISOString(),
      policy,
      team: options.team ?? this.config.force.defaultTeam,
      area: request.location?.area ?? 'urban',
      actor,
      flags,
      screening,
      details: {
        caller: request.caller,
        narrative: request.narrative,
        location: request.location,
        interpreterLanguage: request.interpreterLanguage,
        channelDetails: request.channelDetails,
      },
      linkedReferences: linkedTo(callerHistory),
      ...(request.conversation ? { conversation: request.conversation } : {}),
    };
    const workflowId = contactCaseWorkflowId(reference);
    // The queue position does not depend on the start: look it up while the workflow starts.
    const opened = openCaseFromIntake(intake).state;
    const due = nextDueAt(opened);
    const position = this.queries.queuePosition({ priorityRank: priorityRank(opened), nextDueAt: due === null ? null : new Date(due), receivedAt, reference });
    // With an Idempotency-Key, the reference belongs to that key: a workflow already there was
    // started by a repeat of this same request (which may have overtaken this one), never another case.
    const keyed = idempotency !== undefined;
    const start = this.temporal.client.workflow.start(contactCaseWorkflowType, caseStartOptions(intake, this.temporal.taskQueue, keyed, opened)).catch(async (error: unknown) => {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        // Nothing is recorded (503): neither is the caller's identity, or the caller would match a
        // case that does not exist, as open, for ever.
        if (identifiers.length > 0) {
          await this.callers.forget(reference).catch((forgetError: unknown) =>
            this.logger.error({ msg: 'could not take back the caller identities of a case that did not start', reference, error: (forgetError as Error).message }, 'Intake'),
          );
        }
        throw notReadyOr(error);
      }
      // A repeat whose case has already closed: the case is there, which is all a repeat needs.
      if (keyed) return undefined;
      this.logger.error({ msg: 'case reference already has a workflow: the case store and Temporal disagree', reference }, 'Intake');
      throw new DomainError(DomainErrorCode.AlreadyExists, `Case reference ${reference} already has a workflow; the intake was not started. Report this to the system administrator.`);
    });
    const [queue] = await Promise.all([position, start]);
    intakes.inc({ channel: request.channel, outcome: replayed ? 'replayed' : 'opened' });
    if (!replayed && repeatCaller) await this.askForRescreening(callerHistory.openReferences, reference, actor);
    return {
      reference,
      workflowId,
      stage: 'triage',
      riskMarker: screening.riskMarker,
      domesticAbuse: screening.domesticAbuse,
      sexualOffence: screening.sexualOffence,
      vulnerable: screening.vulnerable,
      policyVersion: intake.policy.version,
      clocks: opened.clocks,
      queuePosition: queue.position,
      queuePositionExact: queue.exact,
      callerHistory,
      replayed,
    };
  }

  /**
   * A repeat caller whose earlier case is still in triage: that case's supervisor is alerted to
   * re-screen it. A failure here never fails the new contact; it is logged (references only).
   */
  private async askForRescreening(openReferences: readonly string[], by: string, actor: ActorRef): Promise<void> {
    for (const earlier of await this.callers.openInTriage(openReferences)) {
      try {
        await this.command(earlier, { type: 'caller-recontacted', by }, actor, commandIds.recontact(earlier, by), { by });
      } catch (error) {
        this.logger.warn({ msg: 'could not ask for an earlier case to be re-screened', reference: earlier, by, error: (error as Error).message }, 'Intake');
      }
    }
  }

  /**
   * Sends a command to the case's workflow as an update, and answers with the case's new state.
   * The command's id is bound to its request (the command and who sent it): the same id with the
   * same request is answered as the first was, with another request it is refused (422 naming
   * `Idempotency-Key`). What the engine cannot take just now is sent again with the same update id
   * until COMMAND_WAIT_SECONDS pass; then 503 with `Retry-After`, never a refusal.
   *
   * `request` is what the id is bound to when it is not the command itself: a message from the
   * public is the same message by its platform's id, whatever else a connector's retry carries.
   */
  async command(reference: string, command: CaseCommand, actor: ActorRef, commandId: string, request: unknown = { command, actor }): Promise<ContactCaseState> {
    try {
      const taken = await this.sendCommand(reference, command, actor, commandId, request);
      caseCommands.inc({ command: command.type, outcome: 'accepted' });
      return taken;
    } catch (error) {
      caseCommands.inc({ command: command.type, outcome: commandOutcome(error) });
      throw error;
    }
  }

  private async sendCommand(reference: string, command: CaseCommand, actor: ActorRef, commandId: string, request: unknown): Promise<ContactCaseState> {
    const handle = this.temporal.client.workflow.getHandle(contactCaseWorkflowId(reference));
    const update = commandUpdates[command.type] as typeof commandUpdates.assess;
    const envelope = { commandId, actor, command: command as Extract<CaseCommand, { type: 'assess' }>, requestHash: sha256(canonicalJson(request)) };
    const waitMs = this.config.commands.waitSeconds * 1_000;
    const deadline = Date.now() + waitMs;
    const busy = () =>
      new DomainError(DomainErrorCode.DependencyUnavailable, `Case ${reference} is taking many commands at once; this one was not taken yet. Send it again with the same Idempotency-Key.`, [], {
        'Retry-After': String(Math.ceil(waitMs / 1_000 / 4)),
      });
    if (!(await this.turns.take(reference, deadline))) throw busy();
    let taken: ContactCaseState | undefined;
    try {
      for (let attempt = 0; taken === undefined; attempt++) {
        try {
          taken = await handle.executeUpdate(update, { args: [envelope], updateId: commandUpdateId(envelope) });
        } catch (error) {
          if (!isTransientUpdateFailure(error)) throw error;
          const delay = retryDelay(attempt);
          if (Date.now() + delay >= deadline) throw busy();
          this.logger.warn({ msg: 'the engine could not take a command yet; sending it again', reference, attempt: attempt + 1 }, 'Commands');
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
        const details = (error.cause.details?.[0] ?? {}) as { fields?: FieldProblem[] };
        if (error.cause.type === STAGE_CONFLICT) throw new DomainError(DomainErrorCode.StageConflict, error.cause.message);
        if (error.cause.type === INVALID_COMMAND) throw new DomainError(DomainErrorCode.UpdateRejected, error.cause.message, details.fields ?? []);
        if (error.cause.type === COMMAND_ID_CONFLICT) throw new DomainError(DomainErrorCode.IdempotencyConflict, 'This Idempotency-Key was used for a different request on this case', details.fields ?? []);
      }
      if (error instanceof WorkflowNotFoundError) throw await this.notRunning(reference);
      throw error;
    } finally {
      this.turns.release(reference);
    }
    // The case has taken the command and writes it straight after: answer once the store shows it,
    // so the sender reads back what it sent. Past the wait the answer goes anyway (the command is
    // the case's); the store catches up, and the log says the answer went first.
    const storeWaitMs = this.config.commands.storeWaitMs;
    if (storeWaitMs > 0 && !(await this.watch.written(reference, taken.version, Date.now() + storeWaitMs))) {
      this.logger.warn({ msg: 'answered a command before the case store showed it', reference, version: taken.version }, 'Commands');
    }
    return taken;
  }

  /** The case record with its live workflow state (null once the case has closed). */
  async view(reference: string): Promise<{ record: CaseRecordView | null; live: ContactCaseState | null }> {
    const record = await this.queries.caseRecord(reference);
    let live: ContactCaseState | null = null;
    if (!record || record.case.stage !== 'closed') {
      try {
        live = await this.temporal.client.workflow.getHandle(contactCaseWorkflowId(reference)).query(caseStateQuery);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    if (!record && !live) throw new DomainError(DomainErrorCode.NotFound, `No case ${reference}`);
    return { record, live };
  }

  private async notRunning(reference: string): Promise<DomainError> {
    const record = await this.queries.caseRecord(reference);
    const stage = record?.case.stage;
    if (stage === 'closed') {
      const closed = record?.timeline.find((entry) => entry.type === 'closed');
      return new DomainError(DomainErrorCode.StageConflict, closedCaseMessage(reference, closed?.actorSubject as string | undefined, closed?.at as string | undefined));
    }
    return new DomainError(DomainErrorCode.NotFound, `No case ${reference}`);
  }
}
