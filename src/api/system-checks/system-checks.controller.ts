import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Permission } from '../../modules/platform/access/permissions.js';
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

class SystemCheckStartedDto {
  @ApiProperty({ format: 'uuid' }) checkId!: string;
  @ApiProperty() workflowId!: string;
}

class ActorDto {
  @ApiProperty({ description: "The staff member's identity-provider subject" }) subject!: string;
  @ApiProperty({ description: 'The role that allowed the action' }) role!: string;
}

class SystemCheckRecordDto {
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty() workerIdentity!: string;
  @ApiProperty({ type: ActorDto }) requestedBy!: ActorDto;
}

class SystemCheckDto {
  @ApiProperty({ format: 'uuid' }) checkId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Temporal execution status, or null once the history is gone' })
  workflowStatus!: string | null;
  @ApiProperty({ type: SystemCheckRecordDto, nullable: true, description: 'The row the activity wrote (null until it has)' })
  record!: SystemCheckRecordDto | null;
}

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
