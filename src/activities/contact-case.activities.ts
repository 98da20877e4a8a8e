import { Inject } from '@nestjs/common';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { CaseStore, StoreRefusal, type WriteMode, type WriteResult } from '../modules/contact-cases/case-store.service.js';
import { failureFields, storeErrorKind } from '../modules/platform/database/store-errors.js';
import { AppLogger } from '../modules/platform/logging/app-logger.js';
import { storeWriteFailures, storeWriteRetries, storeWrites, storeWritesGivenUp } from '../modules/platform/telemetry/metrics.js';
import type { CaseChange, IntakeRecord } from '../domain/case-records.js';
import { type AppliedChange, type ContactCaseActivities, STORE_REFUSED, STORE_WRITE_FAILED } from '../workflows/contact-case.messages.js';

/** Store writes this process has committed, for the fault of FAULT_KILL_WORKER_AFTER_STORE_WRITES. */
let committedWrites = 0;

/** The contact case workflow's only way to the case store; each activity is idempotent. */
@ActivitiesProvider()
export class ContactCaseActivitiesProvider implements ContactCaseActivities {
  constructor(
    private readonly store: CaseStore,
    private readonly logger: AppLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async recordCaseIntake(record: IntakeRecord): Promise<AppliedChange> {
    const { intake, entries, state } = record;
    const written = await this.write('exact', { reference: intake.reference, changeId: entries[0].id, version: state.version }, () => this.store.recordIntake(record, 'exact'));
    return { alertDeliveries: written?.alertDeliveries ?? [] };
  }

  async writeCaseChange(change: CaseChange): Promise<AppliedChange> {
    const written = await this.write('exact', { reference: change.reference, changeId: change.changeId, version: change.state.version }, () => this.store.applyChange(change, 'exact'));
    return { alertDeliveries: written?.alertDeliveries ?? [] };
  }

  async recordIntake(record: IntakeRecord): Promise<void> {
    const { intake, entries, state } = record;
    await this.write('legacy', { reference: intake.reference, changeId: entries[0].id, version: state.version }, () => this.store.recordIntake(record, 'legacy'));
  }

  async applyCaseChange(change: CaseChange): Promise<AppliedChange> {
    const written = await this.write('legacy', { reference: change.reference, changeId: change.changeId, version: change.state.version }, () => this.store.applyChange(change, 'legacy'));
    return { alertDeliveries: written?.alertDeliveries ?? [] };
  }

  /**
   * One store write. An outage is retried for as long as it lasts (each failure logged: a local
   * activity's retries leave no other line). A data error fails the same way every time, so after
   * STORE_WRITE_DATA_ERROR_ATTEMPTS it is given up: an administrators' store alert names the case
   * and the codes, and the case carries on (an exact write's change stays in its history for
   * `npm run store:resync`; the workflow is told by a non-retryable failure, while a write of a
   * case that started before exact writes answers undefined, as its workflow expects). A refusal
   * (the same change with other content, or one whose predecessor is missing) is final at once.
   */
  private async write(mode: WriteMode, change: { reference: string; changeId: string; version: number }, write: () => Promise<WriteResult>): Promise<WriteResult | undefined> {
    const { attempt, activityType } = Context.current().info;
    if (attempt > 1) storeWriteRetries.inc();
    try {
      const written = await write();
      storeWrites.inc({ outcome: written.outcome });
      if (written.outcome === 'written') this.afterCommit();
      return written;
    } catch (error) {
      storeWriteFailures.inc({ kind: error instanceof StoreRefusal ? 'refused' : storeErrorKind(error) });
      if (error instanceof StoreRefusal) {
        this.logger.error({ msg: 'the case store refused a change', ...change, refusal: error.kind }, 'CaseStore');
        throw ApplicationFailure.create({ type: STORE_REFUSED, message: error.message, details: [{ kind: error.kind }], nonRetryable: true });
      }
      const fields = failureFields(error);
      const kind = storeErrorKind(error);
      if (kind === 'data' && attempt >= this.config.store.dataErrorAttempts) {
        this.logger.error({ msg: 'a case store write failed for good; raised to administrators', activity: activityType, ...change, attempt, ...fields }, 'CaseStore');
        await this.store.raiseAlert({ kind: 'write-failed', ...change, attempts: attempt, sqlState: fields.sqlState, errorName: fields.errorName });
        storeWritesGivenUp.inc();
        if (mode === 'legacy') return undefined;
        throw ApplicationFailure.create({ type: STORE_WRITE_FAILED, message: `Change ${change.changeId} of ${change.reference} could not be written (${fields.sqlState ?? fields.errorName})`, details: [{ sqlState: fields.sqlState ?? null }], nonRetryable: true });
      }
      this.logger.warn({ msg: 'a case store write failed; it will be retried', activity: activityType, ...change, attempt, errorKind: kind, ...fields }, 'CaseStore');
      throw error;
    }
  }

  /** The fault tests' hook: die right after a write has committed, before the activity reports it. */
  private afterCommit(): void {
    committedWrites += 1;
    const killAfter = this.config.store.killWorkerAfterWrites;
    if (killAfter > 0 && committedWrites === killAfter) {
      this.logger.warn({ msg: 'killing the worker after a committed store write (FAULT_KILL_WORKER_AFTER_STORE_WRITES)', writes: committedWrites }, 'CaseStore');
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
