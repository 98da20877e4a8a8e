import { Optional } from '../common/text.js';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { referencePattern } from '../../domain/reference.js';
import { Permission } from '../../modules/access/permissions.js';
import { AuditVerifier } from '../../modules/audit/audit-verifier.service.js';
import { RequirePermission } from '../access/access.decorators.js';

class VerifyQueryDto {
  @ApiPropertyOptional({ description: 'One case; every case when absent', example: 'XP-20261123-000042' })
  @Optional()
  @Matches(referencePattern, { message: 'reference must be a case reference such as XP-20261123-000042' })
  reference?: string;
}

class BrokenEntryView {
  @ApiProperty() reference!: string;
  @ApiProperty({ type: 'integer' }) sequence!: number;
  @ApiProperty({ type: 'string', nullable: true }) entryId!: string | null;
  @ApiProperty({ description: 'Why, in plain words' }) reason!: string;
}

class VerifyReportView {
  @ApiProperty() intact!: boolean;
  @ApiProperty({ type: 'integer' }) cases!: number;
  @ApiProperty({ type: 'integer' }) entries!: number;
  @ApiProperty({ type: [BrokenEntryView], description: 'The first broken entry of each case whose chain is broken' }) broken!: BrokenEntryView[];
}

/** The auditors' checks on the audit trail. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(private readonly verifier: AuditVerifier) {}

  @Get('verify')
  @RequirePermission(Permission.AuditVerify)
  @ApiOperation({ summary: "Walk the audit hash chains (every case, or one): intact, or each broken case's first broken entry and why" })
  @ApiResponse({ status: 200, type: VerifyReportView, description: '`intact`, counts, and `broken`: reference, sequence, entry id and reason' })
  verify(@Query() query: VerifyQueryDto): Promise<VerifyReportView> {
    return this.verifier.verify(query.reference);
  }
}
