import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DatabaseHealth } from '../../modules/platform/database/database.health.js';
import { TemporalClientService } from '../../modules/platform/temporal/temporal-client.module.js';
import { Permission } from '../../domain/permissions.js';
import { Public, RequirePermission } from '../access/access.decorators.js';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const PROBE_TIMEOUT_MS = 3_000;

const componentHealthDtoFields = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
const componentHealthDtoSchema = componentHealthDtoFields.meta({ id: 'ComponentHealthDto' });

const checksDtoFields = z.object({
  database: componentHealthDtoSchema,
  temporal: componentHealthDtoSchema,
  namespace: componentHealthDtoSchema.meta({ description: 'The namespace exists and has every case search attribute (`error` names what is missing)' }),
});
const checksDtoSchema = checksDtoFields.meta({ id: 'ChecksDto' });

const healthDtoFields = z.object({
  status: z.enum(['ok', 'degraded']),
  down: z.array(z.string()).meta({ description: 'The components that did not answer' }),
  checks: checksDtoSchema,
});
export const healthDtoSchema = healthDtoFields.meta({ id: 'HealthDto' });
export class HealthDto extends createZodDto(healthDtoFields) {}

/** What the public (a load balancer) is told: up or not, nothing about why. */
const publicHealthDtoFields = z.object({
  status: z.enum(['ok', 'degraded']),
});
export const publicHealthDtoSchema = publicHealthDtoFields.meta({ id: 'PublicHealthDto' });
export class PublicHealthDto extends createZodDto(publicHealthDtoFields) {}

/**
 * Health twice over: `/health` is public and says only whether the API can work (for load
 * balancers and probes); `/api/v1/health/details` names each component and its error (which may
 * carry host and user names) to those who read system checks.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly temporal: TemporalClientService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Whether the case store and Temporal answer, and the namespace has what a case needs: up or down, no details' })
  @ApiResponse({ status: 200, type: PublicHealthDto, description: 'All are up' })
  @ApiResponse({ status: 503, type: PublicHealthDto, description: 'At least one is down' })
  async check(@Res({ passthrough: true }) response: Response): Promise<PublicHealthDto> {
    const { status } = await this.probe();
    response.status(status === 'ok' ? 200 : 503);
    return { status };
  }

  @Get('details')
  @RequirePermission(Permission.SystemCheckRead)
  @ApiOperation({ summary: 'Each component: up or down, how long it took to answer, and the error when it did not' })
  @ApiResponse({ status: 200, type: HealthDto, description: 'All are up' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'At least one is down; `down` names it' })
  async details(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
    const health = await this.probe();
    response.status(health.status === 'ok' ? 200 : 503);
    return health;
  }

  private async probe(): Promise<HealthDto> {
    const [database, temporal, namespace] = await Promise.all([
      this.database.check(PROBE_TIMEOUT_MS),
      this.temporal.health(PROBE_TIMEOUT_MS),
      this.temporal.namespaceReady(PROBE_TIMEOUT_MS),
    ]);
    // With Temporal down, the namespace cannot be read: only Temporal is named.
    const checks = { database, temporal, namespace: temporal.status === 'down' ? { ...namespace, error: 'Temporal is down' } : namespace };
    const down = Object.entries(checks)
      .filter(([name, health]) => health.status === 'down' && !(name === 'namespace' && temporal.status === 'down'))
      .map(([name]) => name);
    return { status: down.length === 0 ? 'ok' : 'degraded', down, checks };
  }
}
