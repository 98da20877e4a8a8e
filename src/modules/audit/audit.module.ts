import { Module } from '@nestjs/common';
import { AuditVerifier } from './audit-verifier.service.js';
import { CaseHistoryReader } from './case-history.reader.js';
import { CaseHistoryStore } from './case-history.store.js';
import { CaseReplayService } from './case-replay.service.js';
import { StoreReconciler } from './store-reconciler.service.js';

@Module({
  providers: [AuditVerifier, CaseHistoryStore, CaseHistoryReader, CaseReplayService, StoreReconciler],
  exports: [AuditVerifier, CaseHistoryStore, CaseHistoryReader, CaseReplayService, StoreReconciler],
})
export class AuditModule {}
