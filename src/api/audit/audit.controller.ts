import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { referencePattern } from '../../domain/reference.js';
import { Permission } from '../../modules/platform/access/permissions.js';
import { AuditVerifier } from '../../modules/audit/audit-verifier.service.js';
import { StoreReconciler } from '../../modules/audit/store-reconciler.service.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { RequirePermission } from '../access/access.decorators.js';

class VerifyQueryDto extends createZodDto(
  z.strictObject({
    reference: z
      .string()
      .regex(referencePattern, { error: 'must be a case reference such as XP-20261123-000042' })
      .optional()
      .meta({ description: 'One case; every case when absent', example: 'XP-20261123-000042' }),
  }),
) {}

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

class DivergenceView {
  @ApiProperty() reference!: string;
  @ApiProperty({ description: 'What differs, as a code (`change-missing`, `store-behind`, `open-alerts-differ`, …)' }) kind!: string;
  @ApiProperty({ description: 'In plain words, with codes and counts only' }) detail!: string;
}

export class ReconciliationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['cli', 'schedule', 'api'] }) trigger!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Only cases changed since then were compared (null: every case)' }) since!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ type: 'integer' }) cases!: number;
  @ApiProperty({ type: 'integer' }) divergentCases!: number;
  @ApiProperty({ type: [DivergenceView] }) divergences!: DivergenceView[];
  @ApiProperty({ enum: ['clean', 'divergent'] }) outcome!: string;
}

class StoreAlertView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['write-failed', 'change-conflict', 'write-held'], description: '`write-failed`: a data error, given up after its attempts; `change-conflict`: a change written again with other content; `write-held`: a change waiting for one before it' }) kind!: string;
  @ApiProperty() reference!: string;
  @ApiProperty({ type: 'string', nullable: true }) changeId!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) version!: number | null;
  @ApiProperty({ type: 'string', nullable: true, description: "PostgreSQL's SQLSTATE" }) sqlState!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) errorName!: string | null;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: 'string', format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Set when `npm run store:resync` has written what was missing' }) resolvedAt!: string | null;
}

class StoreAlertPageView {
  @ApiProperty({ type: 'integer', description: 'Alerts not yet settled' }) open!: number;
  @ApiProperty({ type: [StoreAlertView], description: 'Newest first, the unsettled first' }) items!: StoreAlertView[];
}

/** The auditors' checks on the audit trail and on the case store's fidelity to the workflows. */
@ApiTags('audit')
@Controller('audit')
export class AuditController {
  constructor(
    private readonly verifier: AuditVerifier,
    private readonly reconciler: StoreReconciler,
    private readonly queries: CaseQueries,
  ) {}

  @Get('reconciliations')
  @RequirePermission(Permission.AuditVerify)
  @ApiOperation({ summary: "The case store compared with the cases' workflows (npm run audit:reconcile and its schedule): the last 20 results, newest first, each divergence named" })
  @ApiResponse({ status: 200, type: [ReconciliationView] })
  reconciliations(): Promise<ReconciliationView[]> {
    return this.reconciler.list(20);
  }

  @Get('store-alerts')
  @RequirePermission(Permission.AuditVerify)
  @ApiOperation({ summary: 'What administrators must look at about the case store: a change never written (a data error), or written twice with different content; the case, the change and codes only' })
  @ApiResponse({ status: 200, type: StoreAlertPageView })
  async storeAlerts(): Promise<StoreAlertPageView> {
    const items = await this.queries.storeAlerts(200);
    return { open: items.filter((item) => item.resolvedAt === null).length, items };
  }

  @Get('verify')
  @RequirePermission(Permission.AuditVerify)
  @ApiOperation({ summary: "Walk the audit hash chains (every case, or one): intact, or each broken case's first broken entry and why" })
  @ApiResponse({ status: 200, type: VerifyReportView, description: '`intact`, counts, and `broken`: reference, sequence, entry id and reason' })
  verify(@Query() query: VerifyQueryDto): Promise<VerifyReportView> {
    return this.verifier.verify(query.reference);
  }
}
