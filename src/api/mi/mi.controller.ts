import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { datasetSchema } from '../../domain/mi-dataset.js';
import { Permission } from '../../domain/permissions.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { groupings, type Grouping, MiMeasures } from '../../modules/mi/mi-measures.service.js';
import { Public, RequirePermission } from '../access/access.decorators.js';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { ContinuityDrillsService } from '../../modules/continuity-drills/continuity-drills.service.js';
import { StoreReconciler } from '../../modules/audit/store-reconciler.service.js';
import { codes, integer, orNull, teamFilter } from '../common/text.js';

const DAY = /^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
/** At most this many periods in one answer (three years of days). */
const MAX_DAYS = 3 * 366;

export class MiQueryDto extends createZodDto(
  z.strictObject({
    from: z.string().regex(DAY, { error: 'must be a date such as 2026-01-01' }).meta({ description: "First day, in the policy's time zone", example: '2026-01-01' }),
    to: z.string().regex(DAY, { error: 'must be a date such as 2027-01-01' }).meta({ description: 'The day after the last (exclusive)', example: '2027-01-01' }),
    groupBy: z.enum(groupings as readonly [Grouping, ...Grouping[]]),
    team: teamFilter(),
  }),
) {}

function checked(query: MiQueryDto) {
  // A real day: JavaScript would read 2026-02-31 as 3 March, which the database would refuse.
  const dayOf = (value: string) => {
    const time = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value ? null : time;
  };
  const from = dayOf(query.from);
  const to = dayOf(query.to);
  const problems = [...(from === null ? [{ field: 'from', message: 'not a real date' }] : []), ...(to === null ? [{ field: 'to', message: 'not a real date' }] : [])];
  if (from === null || to === null) throw new DomainError(DomainErrorCode.RuleRefused, 'Invalid period', problems);
  if (to <= from) throw new DomainError(DomainErrorCode.RuleRefused, 'The period is empty', [{ field: 'to', message: 'to must come after from' }]);
  if ((to - from) / 86_400_000 > MAX_DAYS) throw new DomainError(DomainErrorCode.RuleRefused, 'The period is too long', [{ field: 'to', message: `at most ${MAX_DAYS} days` }]);
  return { from: query.from, to: query.to, groupBy: query.groupBy, team: query.team };
}

const targetsViewFields = z.object({
  onTimeShare: z.number(),
  attendanceOnTimeShare: z.number(),
  recontactShareAtMost: z.number(),
  acknowledgeWithinMinutes: integer(),
});
const targetsViewSchema = targetsViewFields.meta({ id: 'TargetsView' });

const miPeriodViewFields = z.object({
  start: z.string().meta({ format: 'date-time' }),
  end: z.string().meta({ format: 'date-time' }),
  measures: z.record(z.string(), z.unknown()).meta({ description: 'demand, screening, gradeMix, clocks, pausedByReason, attendance, resolution, outcomes, escalations, downgrades, effort, supply: see docs/management-information.md' }),
});
const miPeriodViewSchema = miPeriodViewFields.meta({ id: 'MiPeriodView' });

const demandProfileViewFields = z.object({
  byHourOfDay: z.array(z.number()).meta({ description: '24 counts, midnight first, in the policy\'s time zone' }),
  byWeekday: z.array(z.number()).meta({ description: '7 counts, Monday first' }),
});
const demandProfileViewSchema = demandProfileViewFields.meta({ id: 'DemandProfileView' });

const hourly = (description: string) => z.array(z.number()).meta({ description: `24 figures, midnight first, in the policy's time zone: ${description}` });
const hourlyOrNull = (description: string) => z.array(orNull(z.number())).meta({ description: `24 figures, midnight first, in the policy's time zone: ${description}` });
const supplyProfileViewFields = z.object({
  availableHoursByHourOfDay: hourly('person-hours recorded as available in that hour of the day'),
  busyHoursByHourOfDay: hourly('person-hours recorded as busy'),
  contactsPerAvailableHourByHourOfDay: hourlyOrNull('contacts arriving per person-hour available (null: no one available)'),
  meanMinutesToFirstActionByHourOfDay: hourlyOrNull("for cases arriving in that hour, mean minutes to a person's first action (null: none acted on)"),
});
const supplyProfileViewSchema = supplyProfileViewFields.meta({ id: 'SupplyProfileView' });

const miTotalViewSchema = miPeriodViewFields.extend({ demandProfile: demandProfileViewSchema, supplyProfile: supplyProfileViewSchema }).meta({ id: 'MiTotalView' });

const drillSummaryViewFields = z.object({
  finishedAt: z.string().meta({ format: 'date-time' }),
  trigger: codes(['manual', 'schedule']),
  outcome: codes(['passed', 'failed']),
  cases: integer(),
  alarmsExpected: integer(),
  alarmsOnTime: integer(),
  maxLatenessMs: orNull(integer()),
  alertsExpected: integer(),
  alertsDelivered: integer(),
  workerDownMs: integer(),
});
const drillSummaryViewSchema = drillSummaryViewFields.meta({ id: 'DrillSummaryView' });

/** Whether the 24/7 service's continuity is tested, and how the tests went (whatever the period asked for). */
const continuityDrillsViewFields = z.object({
  schedule: z.string().meta({ description: 'When drills run by themselves (a cron expression), or `off`' }),
  timeZone: z.string(),
  latest: z.array(drillSummaryViewSchema).meta({ description: 'The last five, newest first' }),
});
const continuityDrillsViewSchema = continuityDrillsViewFields.meta({ id: 'ContinuityDrillsView' });

const reconciliationSummaryViewFields = z.object({
  finishedAt: z.string().meta({ format: 'date-time' }),
  trigger: codes(['cli', 'schedule', 'api']),
  outcome: codes(['clean', 'divergent']),
  cases: integer().meta({ description: 'Cases compared' }),
  divergentCases: integer().meta({ description: 'Cases whose store differed from their workflow' }),
  divergences: integer(),
});
const reconciliationSummaryViewSchema = reconciliationSummaryViewFields.meta({ id: 'ReconciliationSummaryView' });

/** Whether what people read is what each case decided: the case store compared with the workflows. */
const storeReconciliationsViewFields = z.object({
  schedule: z.string().meta({ description: 'When the comparison runs by itself (a cron expression), or `off`' }),
  timeZone: z.string(),
  latest: z.array(reconciliationSummaryViewSchema).meta({ description: 'The last five, newest first (the divergences themselves are for auditors: GET /audit/reconciliations)' }),
});
const storeReconciliationsViewSchema = storeReconciliationsViewFields.meta({ id: 'StoreReconciliationsView' });

const miReportViewFields = z.object({
  from: z.string().meta({ format: 'date-time' }),
  to: z.string().meta({ format: 'date-time' }),
  timeZone: z.string(),
  groupBy: codes(groupings),
  team: orNull(z.string()),
  targets: targetsViewSchema,
  periods: z.array(miPeriodViewSchema),
  total: miTotalViewSchema,
  previous: miPeriodViewSchema.meta({ description: 'The period of the same length just before' }),
  unacknowledgedAlertsNow: integer(),
  continuityDrills: continuityDrillsViewSchema,
  storeReconciliations: storeReconciliationsViewSchema,
});
class MiReportView extends createZodDto(miReportViewFields) {}


/** The police authority's figures: counts only, never a caller. */
@ApiTags('oversight')
@Controller('mi')
export class MiController {
  constructor(
    private readonly measures: MiMeasures,
    private readonly drills: ContinuityDrillsService,
    private readonly reconciler: StoreReconciler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('measures')
  @RequirePermission(Permission.ManagementInformationRead)
  @ApiOperation({ summary: 'Every measure for each period, the whole range, and the period before it, with the targets (counts only)' })
  @ApiResponse({ status: 200, type: MiReportView, description: 'The figures; see docs/management-information.md for what each counts' })
  @ApiResponse({ status: 422, description: 'A day that does not exist, a period that is empty or longer than three years; `fields` names it' })
  async json(@Query() query: MiQueryDto): Promise<MiReportView> {
    const [report, drills, reconciliations] = await Promise.all([this.measures.report(checked(query)), this.drills.latest(5), this.reconciler.list(5)]);
    const continuityDrills = {
      schedule: this.config.drills.schedule,
      timeZone: this.config.drills.timeZone,
      latest: drills.map((row) => ({
        finishedAt: row.finishedAt.toISOString(),
        trigger: row.trigger,
        outcome: row.outcome,
        cases: row.cases,
        alarmsExpected: row.alarmsExpected,
        alarmsOnTime: row.alarmsOnTime,
        maxLatenessMs: row.maxLatenessMs ?? null,
        alertsExpected: row.alertsExpected,
        alertsDelivered: row.alertsDelivered,
        workerDownMs: row.workerDownMs,
      })),
    };
    const storeReconciliations = {
      schedule: this.config.store.reconcileSchedule,
      timeZone: this.config.store.reconcileTimeZone,
      latest: reconciliations.map((run) => ({ finishedAt: run.finishedAt, trigger: run.trigger, outcome: run.outcome, cases: run.cases, divergentCases: run.divergentCases, divergences: run.divergences.length })),
    };
    return { ...report, continuityDrills, storeReconciliations, periods: report.periods.map((period) => ({ ...period, measures: { ...period.measures } })), total: { ...report.total, measures: { ...report.total.measures } }, previous: { ...report.previous, measures: { ...report.previous.measures } } };
  }

  @Get('measures.csv')
  @RequirePermission(Permission.ManagementInformationRead)
  @ApiOperation({ summary: 'The same figures as CSV: scope, period, measure, value' })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'CSV, one row per figure', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 422, description: 'A day that does not exist, a period that is empty or longer than three years; `fields` names it' })
  async csv(@Query() query: MiQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const csv = this.measures.csv(await this.measures.report(checked(query)));
    // Set only once the figures are there: an error is answered as JSON, like every other.
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="measures.csv"');
    return csv;
  }

  @Get('dataset.csv')
  @RequirePermission(Permission.ManagementInformationRead)
  @ApiOperation({ summary: "The figures as an open dataset for benchmarking: force, scope, period, measure, unit, value; each measure defined in the dataset's schema" })
  @ApiProduces('text/csv')
  @ApiResponse({ status: 200, description: 'CSV with a header row, one row per figure (GET /mi/dataset.schema.json describes a row)', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 422, description: 'A day that does not exist, a period that is empty or longer than three years; `fields` names it' })
  async dataset(@Query() query: MiQueryDto, @Res({ passthrough: true }) response: Response): Promise<string> {
    const checkedQuery = checked(query);
    const csv = this.measures.datasetCsv(await this.measures.report(checkedQuery), this.config.force.code);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${this.config.force.code}-measures-${checkedQuery.from}-${checkedQuery.to}-${checkedQuery.groupBy}.csv"`);
    return csv;
  }

  // Definitions only, no figure: open to anyone who would read a force's dataset.
  @Get('dataset.schema.json')
  @Public()
  @ApiOperation({ summary: "The open dataset's JSON Schema: its columns and every measure's definition and unit (no figures: public)" })
  @ApiResponse({ status: 200, description: 'A JSON Schema (2020-12) of one row', schema: { type: 'object', additionalProperties: true } })
  schema(): Record<string, unknown> {
    return datasetSchema();
  }
}
