import { Module } from '@nestjs/common';
import { AuditVerifier } from './audit-verifier.service.js';

@Module({ providers: [AuditVerifier], exports: [AuditVerifier] })
export class AuditModule {}
