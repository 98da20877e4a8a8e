import { Module } from '@nestjs/common';
import { AuditVerifier } from './audit-verifier.service.js';
import { CaseHistoryReader } from './case-history.reader.js';
import { CaseHistoryStore } from './case-history.store.js';
import { CaseReplayService } from './case-replay.service.js';

@Module({
  providers: [AuditVerifier, CaseHistoryStore, CaseHistoryReader, CaseReplayService],
  exports: [AuditVerifier, CaseHistoryStore, CaseHistoryReader, CaseReplayService],
})
export class AuditModule {}
