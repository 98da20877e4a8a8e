import { Module } from '@nestjs/common';
import { AuditVerifier } from './audit-verifier.service.js';
import { CaseHistoryStore } from './case-history.store.js';
import { CaseReplayService } from './case-replay.service.js';

@Module({ providers: [AuditVerifier, CaseHistoryStore, CaseReplayService], exports: [AuditVerifier, CaseHistoryStore, CaseReplayService] })
export class AuditModule {}
