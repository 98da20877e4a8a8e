import { Module } from '@nestjs/common';
import { SystemChecksModule } from '../modules/system-checks/system-checks.module.js';
import { AlertsModule } from '../modules/alerts/alerts.module.js';
import { AlertDeliveryActivitiesProvider } from './alert-delivery.activities.js';
import { CaseStoreModule } from '../modules/contact-cases/contact-cases.module.js';
import { CaseHistoryReader } from '../modules/audit/case-history.reader.js';
import { CaseHistoryStore } from '../modules/audit/case-history.store.js';
import { CaseHistoryActivitiesProvider } from './case-history.activities.js';
import { CaseReplayActivitiesProvider } from './case-replay.activities.js';
import { ContactCaseActivitiesProvider } from './contact-case.activities.js';
import { SystemCheckActivitiesProvider } from './system-check.activities.js';
import { OutboundDeliveryActivitiesProvider } from './outbound-delivery.activities.js';
import { PlatformAdapter } from '../modules/conversations/platform-adapter.service.js';
import { ContactCasesModule } from '../modules/contact-cases/contact-cases.module.js';
import { ContinuityDrillsModule } from '../modules/continuity-drills/continuity-drills.module.js';
import { PolicyModule } from '../modules/policy/policy.module.js';
import { ContinuityDrillActivitiesProvider } from './continuity-drill.activities.js';
import { StoreReconciliationActivitiesProvider } from './store-reconciliation.activities.js';
import { StoreReconciler } from '../modules/audit/store-reconciler.service.js';
import { SatisfactionModule } from '../modules/satisfaction/satisfaction.module.js';
import { SatisfactionActivitiesProvider } from './satisfaction.activities.js';

/** Every activity provider the worker registers. */
@Module({
  imports: [SystemChecksModule, CaseStoreModule, AlertsModule, ContactCasesModule, PolicyModule, ContinuityDrillsModule, SatisfactionModule],
  providers: [AlertDeliveryActivitiesProvider, SystemCheckActivitiesProvider, ContactCaseActivitiesProvider, CaseHistoryActivitiesProvider, CaseReplayActivitiesProvider, CaseHistoryStore, CaseHistoryReader, OutboundDeliveryActivitiesProvider, PlatformAdapter, ContinuityDrillActivitiesProvider, StoreReconciler, StoreReconciliationActivitiesProvider, SatisfactionActivitiesProvider],
})
export class ActivitiesModule {}
