import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type DrillSettings, drillSettingLimits } from '../../domain/continuity-drill.js';
import { Permission } from '../../domain/permissions.js';
import { type ContinuityDrill } from '../../modules/continuity-drills/continuity-drill.entity.js';
import { drillSettingsOf } from '../../modules/continuity-drills/continuity-drill-schedule.js';
import { ContinuityDrillsService } from '../../modules/continuity-drills/continuity-drills.service.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { TemporalClientService } from '../../modules/platform/temporal/temporal-client.module.js';
import { continuityDrillWorkflowId, continuityDrillWorkflowType, type ContinuityDrillInput } from '../../workflows/continuity-drill.messages.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import { codes, integer, orNull, queryInteger } from '../common/text.js';

const { cases, clockSeconds, workerDownSeconds, toleranceSeconds } = drillSettingLimits;

const within = ({ min, max }: { min: number; max: number }) => z.int().min(min).max(max);

/** A drill's settings for this run; each left out takes the configured one (DRILL_*). */
export class StartDrillDto extends createZodDto(
  z
    .strictObject({
      cases: within(cases).optional(),
      clockSeconds: within(clockSeconds).optional(),
      workerDownSeconds: within(workerDownSeconds).optional().meta({ description: 'Kept down longer than the clocks, the drill fails and names the late ones' }),
      toleranceSeconds: within(toleranceSeconds).optional(),
    }),
) {}

export class DrillsQueryDto extends createZodDto(z.strictObject({ limit: queryInteger(1, 200, { default: 20 }).optional() })) {}

const drillSettingsViewFields = z.object({
  cases: integer(),
  clockSeconds: integer(),
  workerDownSeconds: integer(),
  toleranceSeconds: integer(),
});
const drillSettingsViewSchema = drillSettingsViewFields.meta({ id: 'DrillSettingsView' });

const drillStartedViewFields = z.object({
  workflowId: z.string(),
  settings: drillSettingsViewSchema.meta({ description: 'What it will run with' }),
});
class DrillStartedView extends createZodDto(drillStartedViewFields) {}

const lateAlarmViewFields = z.object({
  reference: z.string(),
  clock: z.string(),
  alarm: codes(['warning', 'due']),
  dueAt: z.string().meta({ format: 'date-time' }),
  firedAt: orNull(z.string()).meta({ format: 'date-time', description: 'Null: it had not fired when the drill checked' }),
  lateMs: orNull(integer()),
});
const lateAlarmViewSchema = lateAlarmViewFields.meta({ id: 'LateAlarmView' });

const workerRestartViewFields = z.object({
  workerIdentity: z.string(),
  downMs: integer(),
  stoppedAt: z.string().meta({ format: 'date-time' }),
});
const workerRestartViewSchema = workerRestartViewFields.meta({ id: 'WorkerRestartView' });

const alarmCountsViewFields = z.object({
  expected: integer(),
  onTime: integer(),
  late: integer(),
});
const alarmCountsViewSchema = alarmCountsViewFields.meta({ id: 'AlarmCountsView' });

const alertCountsViewFields = z.object({
  expected: integer(),
  delivered: integer(),
});
const alertCountsViewSchema = alertCountsViewFields.meta({ id: 'AlertCountsView' });

const drillViewFields = z.object({
  drillId: z.string().meta({ format: 'uuid' }),
  workflowId: z.string(),
  trigger: codes(['manual', 'schedule']),
  requestedBy: z.string().meta({ description: 'Who started it (the schedule: continuity-drill-schedule)' }),
  outcome: codes(['passed', 'failed']),
  startedAt: z.string().meta({ format: 'date-time' }),
  finishedAt: z.string().meta({ format: 'date-time' }),
  durationMs: integer(),
  cases: integer(),
  clockSeconds: integer(),
  toleranceMs: integer(),
  workerRestart: workerRestartViewSchema.meta({ description: 'The worker restarted, how long it stayed down, and when it stopped' }),
  alarms: alarmCountsViewSchema.meta({ description: 'Each clock warns, then breaches: two alarms a case' }),
  maxLatenessMs: orNull(integer()).meta({ description: 'The latest any alarm fired after its time' }),
  alerts: alertCountsViewSchema.meta({ description: 'Delivered: confirmed by the webhook for its role, or recorded where the role has no webhook' }),
  lateAlarms: z.array(lateAlarmViewSchema),
  problems: z.array(z.string()).meta({ description: 'Why it failed, in words' }),
  references: z.array(z.string()).meta({ description: "The drill's synthetic cases (team continuity-drill)" }),
});
export const drillViewSchema = drillViewFields.meta({ id: 'DrillView' });
export class DrillView extends createZodDto(drillViewFields) {}

const drillListViewFields = z.object({
  schedule: z.string().meta({ description: 'The schedule the drills run on (`off`: none)' }),
  timeZone: z.string(),
  items: z.array(drillViewSchema).meta({ description: 'Newest first' }),
});
class DrillListView extends createZodDto(drillListViewFields) {}

export function drillView(row: ContinuityDrill): DrillView {
  return {
    drillId: row.id,
    workflowId: row.workflowId,
    trigger: row.trigger,
    requestedBy: row.requestedBySubject,
    outcome: row.outcome,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
    durationMs: row.finishedAt.getTime() - row.startedAt.getTime(),
    cases: row.cases,
    clockSeconds: row.clockSeconds,
    toleranceMs: row.toleranceMs,
    workerRestart: { workerIdentity: row.workerIdentity, downMs: row.workerDownMs, stoppedAt: row.workerStoppedAt.toISOString() },
    alarms: { expected: row.alarmsExpected, onTime: row.alarmsOnTime, late: row.alarmsExpected - row.alarmsOnTime },
    maxLatenessMs: row.maxLatenessMs ?? null,
    alerts: { expected: row.alertsExpected, delivered: row.alertsDelivered },
    lateAlarms: row.lateAlarms,
    problems: row.problems,
    references: row.caseReferences,
  };
}

/** Continuity drills: started by the schedule, by `npm run drill`, or here; read by auditors and administrators. */
@ApiTags('operations')
@Controller('drills')
export class DrillsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly temporal: TemporalClientService,
    private readonly drills: ContinuityDrillsService,
  ) {}

  @Get()
  @RequirePermission(Permission.DrillRead)
  @ApiOperation({ summary: 'The latest continuity drills, newest first, with their results' })
  @ApiResponse({ status: 200, type: DrillListView })
  async list(@Query() query: DrillsQueryDto): Promise<DrillListView> {
    const rows = await this.drills.latest(query.limit ?? 20);
    return { schedule: this.config.drills.schedule, timeZone: this.config.drills.timeZone, items: rows.map(drillView) };
  }

  @Get(':drillId')
  @RequirePermission(Permission.DrillRead)
  @ApiOperation({ summary: 'One continuity drill' })
  @ApiResponse({ status: 200, type: DrillView })
  @ApiResponse({ status: 404, description: 'No such drill (or not finished yet)' })
  async find(@PathParam('drillId') drillId: string): Promise<DrillView> {
    const row = await this.drills.find(drillId);
    if (!row) throw new DomainError(DomainErrorCode.NotFound, `No continuity drill ${drillId} (a drill is recorded when it has been judged)`);
    return drillView(row);
  }

  @Post()
  @HttpCode(202)
  @RequirePermission(Permission.DrillRun)
  @ApiOperation({ summary: 'Start a continuity drill; its result is recorded when it has been judged (about the clock time plus the tolerance)' })
  @ApiResponse({ status: 202, type: DrillStartedView })
  async start(@Body() body: StartDrillDto, @CurrentActor() actor: NonNullable<AuthenticatedRequest['actor']>): Promise<DrillStartedView> {
    const settings: DrillSettings = { ...drillSettingsOf(this.config), ...Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined)) };
    const workflowId = continuityDrillWorkflowId(randomUUID());
    const input: ContinuityDrillInput = { trigger: 'manual', requestedBy: { subject: actor.subject, role: actor.role }, settings };
    await this.temporal.client.workflow.start(continuityDrillWorkflowType, { workflowId, taskQueue: this.temporal.taskQueue, args: [input] });
    return { workflowId, settings };
  }
}
