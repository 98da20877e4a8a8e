import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { referencePattern } from '../../domain/reference.js';
import { Permission } from '../../modules/access/permissions.js';
import { AuditVerifier } from '../../modules/audit/audit-verifier.service.js';
import { RequirePermission } from '../access/access.decorators.js';

class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'One case; every case when absent', example: 'XP-20261123-000042' })
  @IsOptional()
  @Matches(referencePattern, { message: 'reference must be a case reference such as XP-20261123-000042' })
  reference?: string;
}

/** The auditors' checks on the audit trail. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly verifier: AuditVerifier) {}

  @Get('verify')
  @RequirePermission(Permission.AuditVerify)
  @ApiOperation({ summary: "Walk the audit hash chains (every case, or one): intact, or each broken case's first broken entry and why" })
  @ApiResponse({ status: 200, description: '`intact`, counts, and `broken`: reference, sequence, entry id and reason' })
  verify(@Query() query: VerifyQueryDto) {
    return this.verifier.verify(query.reference);
  }
}
