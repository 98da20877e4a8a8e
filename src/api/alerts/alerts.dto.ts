import { IsText } from '../common/text.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { acknowledgementActions } from '../../domain/alerts.js';
import { referencePattern } from '../../domain/reference.js';

export const alertStates = ['open', 'acknowledged', 'closed'] as const;

export class AlertsQueryDto {
  @ApiPropertyOptional({ enum: alertStates }) @IsOptional() @IsIn(alertStates) state?: (typeof alertStates)[number];
  @ApiPropertyOptional({ example: 'XP-20261123-000042' }) @IsOptional() @Matches(referencePattern, { message: 'reference must look like XP-20261123-000042' }) reference?: string;
  @ApiPropertyOptional({ example: 'attendance-1' }) @IsOptional() @Matches(/^[a-z-]+-[0-9]{1,3}$/, { message: 'clock must be a clock id such as attendance-1' }) clock?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 9 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(9) level?: number;
  @ApiPropertyOptional() @IsOptional() @IsText(1, 64) team?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class AcknowledgementDto {
  @ApiProperty({ enum: acknowledgementActions }) @IsIn(acknowledgementActions) action!: (typeof acknowledgementActions)[number];
  @ApiPropertyOptional({ description: 'What was done, in a few words (kept on the alert, not in its stream)', maxLength: 1000 })
  @IsOptional()
  @IsText(1, 1000)
  note?: string;
}
