import { Module } from '@nestjs/common';
import { SystemChecksModule } from '../modules/system-checks/system-checks.module.js';
import { CaseStoreModule } from '../modules/contact-cases/contact-cases.module.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { CaseHistoryActivities } from './case-history.activities.js';
import { ContactCaseActivities } from './contact-case.activities.js';
import { SystemCheckActivities } from './system-check.activities.js';

/** Every activity provider the worker registers. */
@Module({ imports: [SystemChecksModule, CaseStoreModule], providers: [SystemCheckActivities, ContactCaseActivities, CaseHistoryActivities, CaseHistoryStore] })
export class ActivitiesModule {}
