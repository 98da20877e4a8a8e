import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { DatabaseHealth } from '../../modules/database/database.health.js';
import { TemporalClientService } from '../../modules/temporal/temporal-client.module.js';
import { Public } from '../access/access.decorators.js';

const PROBE_TIMEOUT_MS = 3_000;

class ComponentHealthDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty({ type: 'number' }) latencyMs!: number;
  @ApiProperty({ required: false }) error?: string;
}

class ChecksDto {
  @ApiProperty({ type: ComponentHealthDto }) database!: ComponentHealthDto;
  @ApiProperty({ type: ComponentHealthDto }) temporal!: ComponentHealthDto;
  @ApiProperty({ type: ComponentHealthDto, description: 'The namespace exists and has every case search attribute (`error` names what is missing)' }) namespace!: ComponentHealthDto;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: [String], description: 'The components that did not answer' }) down!: string[];
  @ApiProperty({ type: ChecksDto }) checks!: ChecksDto;
}

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly temporal: TemporalClientService,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Whether the case store and Temporal answer, and the namespace has what a case needs' })
  @ApiResponse({ status: 200, type: HealthDto, description: 'All are up' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'At least one is down; `down` names it' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthDto> {
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
    response.status(down.length === 0 ? 200 : 503);
    return { status: down.length === 0 ? 'ok' : 'degraded', down, checks };
  }
}
