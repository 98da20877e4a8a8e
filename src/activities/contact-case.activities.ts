import { ActivitiesProvider } from '../modules/temporal/activities.decorator.js';
import { CaseStore } from '../modules/contact-cases/case-store.service.js';
import type { CaseChange, IntakeRecord } from '../domain/case-records.js';
import type { AppliedChange, ContactCaseActivities } from '../workflows/contact-case.messages.js';

/** The contact case workflow's only way to the case store; each activity is idempotent. */
@ActivitiesProvider()
export class ContactCaseActivitiesProvider implements ContactCaseActivities {
  constructor(private readonly store: CaseStore) {}

  async recordIntake(record: IntakeRecord): Promise<void> {
    await this.store.recordIntake(record);
  }

  async applyCaseChange(change: CaseChange): Promise<AppliedChange> {
    return { alertDeliveries: await this.store.applyChange(change) };
  }
}
