import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Permission } from '../../domain/permissions.js';
import { DomainError, DomainErrorCode } from '../../modules/platform/errors/domain-error.js';
import { type AuthenticatedRequest, CurrentActor, RequirePermission } from '../access/access.decorators.js';
import { PathParam } from '../common/params.js';
import { SystemChecksService } from '../../modules/system-checks/system-checks.service.js';
import { TemporalClientService } from '../../modules/platform/temporal/temporal-client.module.js';
import {
  type SystemCheckInput,
  systemCheckWorkflowId,
  systemCheckWorkflowType,
} from '../../workflows/system-check.messages.js';
import { orNull } from '../common/text.js';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const systemCheckStartedDtoFields = z.object({
  checkId: z.string().meta({ format: 'uuid' }),
  workflowId: z.string(),
});
class SystemCheckStartedDto extends createZodDto(systemCheckStartedDtoFields) {}

const actorDtoFields = z.object({
  subject: z.string().meta({ description: "The staff member's identity-provider subject" }),
  role: z.string().meta({ description: 'The role that allowed the action' }),
});
const actorDtoSchema = actorDtoFields.meta({ id: 'ActorDto' });

const systemCheckRecordDtoFields = z.object({
  requestedAt: z.string().meta({ format: 'date-time' }),
  recordedAt: z.string().meta({ format: 'date-time' }),
  workerIdentity: z.string(),
  requestedBy: actorDtoSchema,
});
const systemCheckRecordDtoSchema = systemCheckRecordDtoFields.meta({ id: 'SystemCheckRecordDto' });

const systemCheckDtoFields = z.object({
  checkId: z.string().meta({ format: 'uuid' }),
  workflowId: z.string(),
  workflowStatus: orNull(z.string()).meta({ description: 'Temporal execution status, or null once the history is gone' }),
  record: systemCheckRecordDtoSchema.nullable().meta({ description: 'The row the activity wrote (null until it has)' }),
});
class SystemCheckDto extends createZodDto(systemCheckDtoFields) {}

/** End-to-end checks of the running system: the API starts a workflow whose activity writes a row. */
@ApiTags('operations')
@Controller('system-checks')
export class SystemChecksController {
  constructor(
    private readonly temporal: TemporalClientService,
    private readonly systemChecks: SystemChecksService,
  ) {}

  @Post()
  @HttpCode(202)
  @RequirePermission(Permission.SystemCheckRun)
  @ApiOperation({ summary: 'Start a system check' })
  @ApiResponse({ status: 202, type: SystemCheckStartedDto })
  async start(@CurrentActor() actor: NonNullable<AuthenticatedRequest['actor']>): Promise<SystemCheckStartedDto> {
    const checkId = randomUUID();
    const workflowId = systemCheckWorkflowId(checkId);
    const input: SystemCheckInput = {
      checkId,
      requestedAt: new Date().toISOString(),
      requestedBy: { subject: actor.subject, role: actor.role },
    };
    await this.temporal.client.workflow.start(systemCheckWorkflowType, {
      workflowId,
      taskQueue: this.temporal.taskQueue,
      args: [input],
    });
    return { checkId, workflowId };
  }

  @Get(':checkId')
  @RequirePermission(Permission.SystemCheckRead)
  @ApiOperation({ summary: 'A system check: its workflow status and the row its activity wrote' })
  @ApiResponse({ status: 200, type: SystemCheckDto })
  @ApiResponse({ status: 400, description: 'checkId is not a UUID' })
  @ApiResponse({ status: 404, description: 'No such check' })
  async find(@PathParam('checkId') checkId: string): Promise<SystemCheckDto> {
    const workflowId = systemCheckWorkflowId(checkId);
    const [workflowStatus, row] = await Promise.all([this.workflowStatus(workflowId), this.systemChecks.find(checkId)]);
    if (!workflowStatus && !row) throw new DomainError(DomainErrorCode.NotFound, `No system check ${checkId}`);
    return {
      checkId,
      workflowId,
      workflowStatus,
      record: row
        ? {
            requestedAt: row.requestedAt.toISOString(),
            recordedAt: row.recordedAt.toISOString(),
            workerIdentity: row.workerIdentity,
            requestedBy: { subject: row.requestedBySubject, role: row.requestedByRole },
          }
        : null,
    };
  }

  private async workflowStatus(workflowId: string): Promise<string | null> {
    try {
      const description = await this.temporal.client.workflow.getHandle(workflowId).describe();
      return description.status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }
}
