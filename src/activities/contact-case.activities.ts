import { ActivitiesProvider } from '../modules/temporal/activities.decorator.js';
import { CaseStore } from '../modules/contact-cases/case-store.service.js';
import type { CaseChange, ContactIntake } from '../workflows/contact-case.messages.js';

/** The contact case workflow's only way to the case store; each activity is idempotent. */
@ActivitiesProvider()
export class ContactCaseActivities {
  constructor(private readonly store: CaseStore) {}

  async recordIntake(intake: ContactIntake): Promise<void> {
    await this.store.recordIntake(intake);
  }

  async applyCaseChange(change: CaseChange): Promise<void> {
    await this.store.applyChange(change);
  }
}
