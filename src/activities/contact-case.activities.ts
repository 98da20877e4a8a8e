import { Context } from '@temporalio/activity';
import { ActivitiesProvider } from '../modules/temporal/activities.decorator.js';
import { CaseStore } from '../modules/contact-cases/case-store.service.js';
import { AppLogger } from '../modules/logging/app-logger.js';
import type { CaseChange, IntakeRecord } from '../domain/case-records.js';
import type { AppliedChange, ContactCaseActivities } from '../workflows/contact-case.messages.js';

/**
 * What a failed write may say in the log: the error's kind and PostgreSQL's codes, never its message
 * (which can quote a value from the case, such as `invalid input syntax for type …: "<text>"`).
 */
function failureFields(error: unknown): Record<string, unknown> {
  const failure = error as { name?: string; code?: string; constraint?: string; routine?: string };
  return { errorName: failure.name ?? typeof error, sqlState: failure.code, constraint: failure.constraint, routine: failure.routine };
}

/** The contact case workflow's only way to the case store; each activity is idempotent. */
@ActivitiesProvider()
export class ContactCaseActivitiesProvider implements ContactCaseActivities {
  constructor(
    private readonly store: CaseStore,
    private readonly logger: AppLogger,
  ) {}

  async recordIntake(record: IntakeRecord): Promise<void> {
    await this.logged('recordIntake', record.intake.reference, () => this.store.recordIntake(record));
  }

  async applyCaseChange(change: CaseChange): Promise<AppliedChange> {
    return { alertDeliveries: await this.logged('applyCaseChange', change.reference, () => this.store.applyChange(change)) };
  }

  /**
   * These run as local activities, which retry inside the workflow task without a line in the
   * worker's log: a write that keeps failing (a bug, not an outage) would stall the case in silence.
   * Each failure is logged with the case reference and the attempt, then retried as before.
   */
  private async logged<T>(activity: string, reference: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      this.logger.warn({ msg: 'a case store write failed; it will be retried', activity, reference, attempt: Context.current().info.attempt, ...failureFields(error) }, 'CaseStore');
      throw error;
    }
  }
}
