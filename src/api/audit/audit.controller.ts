import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { referencePattern } from '../../domain/reference.js';
import { Permission } from '../../domain/permissions.js';
import { AuditVerifier } from '../../modules/audit/audit-verifier.service.js';
import { StoreReconciler } from '../../modules/audit/store-reconciler.service.js';
import { CaseQueries } from '../../modules/contact-cases/case-queries.service.js';
import { RequirePermission } from '../access/access.decorators.js';
import { codes, integer, orNull } from '../common/text.js';

class VerifyQueryDto extends createZodDto(
  z.strictObject({
    reference: z
      .string()
      .regex(referencePattern, { error: 'must be a case reference such as XP-20261123-000042' })
      .optional()
      .meta({ description: 'One case; every case when absent', example: 'XP-20261123-000042' }),
  }),
) {}

const brokenEntryViewFields = z.object({
  reference: z.string(),
  sequence: integer(),
  entryId: orNull(z.string()),
  reason: z.string().meta({ description: 'Why, in plain words' }),
});
const brokenEntryViewSchema = brokenEntryViewFields.meta({ id: 'BrokenEntryView' });

const verifyReportViewFields = z.object({
  intact: z.boolean(),
  cases: integer(),
  entries: integer(),
  broken: z.array(brokenEntryViewSchema).meta({ description: 'The first broken entry of each case whose chain is broken' }),
});
class VerifyReportView extends createZodDto(verifyReportViewFields) {}

const divergenceViewFields = z.object({
  reference: z.string(),
  kind: z.string().meta({ description: 'What differs, as a code (`change-missing`, `store-behind`, `open-alerts-differ`, …)' }),
  detail: z.string().meta({ description: 'In plain words, with codes and counts only' }),
});
const divergenceViewSchema = divergenceViewFields.meta({ id: 'DivergenceView' });

const reconciliationViewFields = z.object({
  id: z.string().meta({ format: 'uuid' }),
  trigger: codes(['cli', 'schedule', 'api']),
  requestedBy: z.string(),
  since: orNull(z.string()).meta({ format: 'date-time', description: 'Only cases changed since then were compared (null: every case)' }),
  startedAt: z.string().meta({ format: 'date-time' }),
  finishedAt: z.string().meta({ format: 'date-time' }),
  cases: integer(),
  divergentCases: integer(),
  divergences: z.array(divergenceViewSchema),
  outcome: codes(['clean', 'divergent']),
});
export const reconciliationViewSchema = reconciliationViewFields.meta({ id: 'ReconciliationView' });
export class ReconciliationView extends createZodDto(reconciliationViewFields) {}

const storeAlertViewFields = z.object({
  id: z.string(),
  kind: codes(['write-failed', 'change-conflict', 'write-held']).meta({ description: '`write-failed`: a data error, given up after its attempts; `change-conflict`: a change written again with other content; `write-held`: a change waiting for one before it' }),
  reference: z.string(),
  changeId: orNull(z.string()),
  version: orNull(integer()),
  sqlState: orNull(z.string()).meta({ description: "PostgreSQL's SQLSTATE" }),
  errorName: orNull(z.string()),
  attempts: integer(),
  raisedAt: z.string().meta({ format: 'date-time' }),
  resolvedAt: orNull(z.string()).meta({ format: 'date-time', description: 'Set when `npm run store:resync` has written what was missing' }),
});
const storeAlertViewSchema = storeAlertViewFields.meta({ id: 'StoreAlertView' });

const storeAlertPageViewFields = z.object({
  open: integer().meta({ description: 'Alerts not yet settled' }),
  items: z.array(storeAlertViewSchema).meta({ description: 'Newest first, the unsettled first' }),
});
class StoreAlertPageView extends createZodDto(storeAlertPageViewFields) {}

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
