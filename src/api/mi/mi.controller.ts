import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { type Response } from 'express';
import { ApiOperation, ApiProduces, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Permission } from '../../modules/platform/access/permissions.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { groupings, type Grouping, MiMeasures } from '../../modules/mi/mi-measures.service.js';
import { RequirePermission } from '../access/access.decorators.js';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { ContinuityDrillsService } from '../../modules/continuity-drills/continuity-drills.service.js';
import { StoreReconciler } from '../../modules/audit/store-reconciler.service.js';
import { TEAM } from '../common/text.js';

const DAY = /^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;
/** At most this many periods in one answer (three years of days). */
const MAX_DAYS = 3 * 366;

export class MiQueryDto extends createZodDto(
  z.strictObject({
    from: z.string().regex(DAY, { error: 'must be a date such as 2026-01-01' }).meta({ description: "First day, in the policy's time zone", example: '2026-01-01' }),
    to: z.string().regex(DAY, { error: 'must be a date such as 2027-01-01' }).meta({ description: 'The day after the last (exclusive)', example: '2027-01-01' }),
    groupBy: z.enum(groupings as readonly [Grouping, ...Grouping[]]),
    team: z.string().regex(TEAM, { error: 'must be 1 to 64 lower-case letters, digits or dashes' }).optional().meta({ description: 'One team; every team when absent', example: 'contact-centre' }),
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

class TargetsView {
  @ApiProperty({ type: 'number' }) onTimeShare!: number;
  @ApiProperty({ type: 'number' }) attendanceOnTimeShare!: number;
  @ApiProperty({ type: 'number' }) recontactShareAtMost!: number;
  @ApiProperty({ type: 'integer' }) acknowledgeWithinMinutes!: number;
}

class MiPeriodView {
  @ApiProperty({ type: 'string', format: 'date-time' }) start!: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) end!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'demand, screening, gradeMix, clocks, pausedByReason, attendance, resolution, outcomes, escalations, downgrades: see docs/management-information.md',
  })
  measures!: Record<string, unknown>;
}

class DemandProfileView {
  @ApiProperty({ type: [Number], description: '24 counts, midnight first, in the policy\'s time zone' }) byHourOfDay!: number[];
  @ApiProperty({ type: [Number], description: '7 counts, Monday first' }) byWeekday!: number[];
}

class MiTotalView extends MiPeriodView {
  @ApiProperty({ type: DemandProfileView }) demandProfile!: DemandProfileView;
}

class DrillSummaryView {
  @ApiProperty({ type: 'string', format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger!: string;
  @ApiProperty({ enum: ['passed', 'failed'] }) outcome!: string;
  @ApiProperty({ type: 'integer' }) cases!: number;
  @ApiProperty({ type: 'integer' }) alarmsExpected!: number;
  @ApiProperty({ type: 'integer' }) alarmsOnTime!: number;
  @ApiProperty({ type: 'integer', nullable: true }) maxLatenessMs!: number | null;
  @ApiProperty({ type: 'integer' }) alertsExpected!: number;
  @ApiProperty({ type: 'integer' }) alertsDelivered!: number;
  @ApiProperty({ type: 'integer' }) workerDownMs!: number;
}

/** Whether the 24/7 service's continuity is tested, and how the tests went (whatever the period asked for). */
class ContinuityDrillsView {
  @ApiProperty({ description: 'When drills run by themselves (a cron expression), or `off`' }) schedule!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [DrillSummaryView], description: 'The last five, newest first' }) latest!: DrillSummaryView[];
}

class ReconciliationSummaryView {
  @ApiProperty({ type: 'string', format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ enum: ['cli', 'schedule', 'api'] }) trigger!: string;
  @ApiProperty({ enum: ['clean', 'divergent'] }) outcome!: string;
  @ApiProperty({ type: 'integer', description: 'Cases compared' }) cases!: number;
  @ApiProperty({ type: 'integer', description: 'Cases whose store differed from their workflow' }) divergentCases!: number;
  @ApiProperty({ type: 'integer' }) divergences!: number;
}

/** Whether what people read is what each case decided: the case store compared with the workflows. */
class StoreReconciliationsView {
  @ApiProperty({ description: 'When the comparison runs by itself (a cron expression), or `off`' }) schedule!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [ReconciliationSummaryView], description: 'The last five, newest first (the divergences themselves are for auditors: GET /audit/reconciliations)' }) latest!: ReconciliationSummaryView[];
}

class MiReportView {
  @ApiProperty({ type: 'string', format: 'date-time' }) from!: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) to!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ enum: groupings }) groupBy!: string;
  @ApiProperty({ type: 'string', nullable: true }) team!: string | null;
  @ApiProperty({ type: TargetsView }) targets!: TargetsView;
  @ApiProperty({ type: [MiPeriodView] }) periods!: MiPeriodView[];
  @ApiProperty({ type: MiTotalView }) total!: MiTotalView;
  @ApiProperty({ type: MiPeriodView, description: 'The period of the same length just before' }) previous!: MiPeriodView;
  @ApiProperty({ type: 'integer' }) unacknowledgedAlertsNow!: number;
  @ApiProperty({ type: ContinuityDrillsView }) continuityDrills!: ContinuityDrillsView;
  @ApiProperty({ type: StoreReconciliationsView }) storeReconciliations!: StoreReconciliationsView;
}


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
}
