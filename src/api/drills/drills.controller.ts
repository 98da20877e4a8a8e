import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type DrillSettings, drillSettingLimits } from '../../domain/continuity-drill.js';
import { Permission } from '../../modules/platform/access/permissions.js';
import { type ContinuityDrill } from '../../modules/continuity-drills/continuity-drill.entity.js';
import { drillSettingsOf } from '../../modules/continuity-drills/continuity-drill-schedule.js';
import { ContinuityDrillsService } from '../../modules/continuity-drills/continuity-drills.service.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { TemporalClientService } from '../../modules/platform/temporal/temporal-client.module.js';
import { continuityDrillWorkflowId, continuityDrillWorkflowType, type ContinuityDrillInput } from '../../workflows/continuity-drill.messages.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import { queryInteger } from '../common/text.js';

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

class DrillSettingsView {
  @ApiProperty({ type: 'integer' }) cases!: number;
  @ApiProperty({ type: 'integer' }) clockSeconds!: number;
  @ApiProperty({ type: 'integer' }) workerDownSeconds!: number;
  @ApiProperty({ type: 'integer' }) toleranceSeconds!: number;
}

class DrillStartedView {
  @ApiProperty() workflowId!: string;
  @ApiProperty({ type: DrillSettingsView, description: 'What it will run with' }) settings!: DrillSettingsView;
}

class LateAlarmView {
  @ApiProperty() reference!: string;
  @ApiProperty() clock!: string;
  @ApiProperty({ enum: ['warning', 'due'] }) alarm!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'Null: it had not fired when the drill checked' }) firedAt!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) lateMs!: number | null;
}

class WorkerRestartView {
  @ApiProperty() workerIdentity!: string;
  @ApiProperty({ type: 'integer' }) downMs!: number;
  @ApiProperty({ format: 'date-time' }) stoppedAt!: string;
}

class AlarmCountsView {
  @ApiProperty({ type: 'integer' }) expected!: number;
  @ApiProperty({ type: 'integer' }) onTime!: number;
  @ApiProperty({ type: 'integer' }) late!: number;
}

class AlertCountsView {
  @ApiProperty({ type: 'integer' }) expected!: number;
  @ApiProperty({ type: 'integer' }) delivered!: number;
}

export class DrillView {
  @ApiProperty({ format: 'uuid' }) drillId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger!: string;
  @ApiProperty({ description: 'Who started it (the schedule: continuity-drill-schedule)' }) requestedBy!: string;
  @ApiProperty({ enum: ['passed', 'failed'] }) outcome!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
  @ApiProperty({ type: 'integer' }) durationMs!: number;
  @ApiProperty({ type: 'integer' }) cases!: number;
  @ApiProperty({ type: 'integer' }) clockSeconds!: number;
  @ApiProperty({ type: 'integer' }) toleranceMs!: number;
  @ApiProperty({ type: WorkerRestartView, description: 'The worker restarted, how long it stayed down, and when it stopped' }) workerRestart!: WorkerRestartView;
  @ApiProperty({ type: AlarmCountsView, description: 'Each clock warns, then breaches: two alarms a case' }) alarms!: AlarmCountsView;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The latest any alarm fired after its time' }) maxLatenessMs!: number | null;
  @ApiProperty({ type: AlertCountsView, description: 'Delivered: confirmed by the webhook for its role, or recorded where the role has no webhook' }) alerts!: AlertCountsView;
  @ApiProperty({ type: [LateAlarmView] }) lateAlarms!: LateAlarmView[];
  @ApiProperty({ type: [String], description: 'Why it failed, in words' }) problems!: string[];
  @ApiProperty({ type: [String], description: "The drill's synthetic cases (team continuity-drill)" }) references!: string[];
}

class DrillListView {
  @ApiProperty({ description: 'The schedule the drills run on (`off`: none)' }) schedule!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [DrillView], description: 'Newest first' }) items!: DrillView[];
}

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
