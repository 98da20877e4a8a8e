import { IsText, Optional } from '../common/text.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { acknowledgementActions, alertKinds } from '../../domain/alerts.js';
import { referencePattern } from '../../domain/reference.js';

export const alertStates = ['open', 'acknowledged', 'closed'] as const;

export class AlertsQueryDto {
  @ApiPropertyOptional({ enum: alertStates }) @Optional() @IsIn(alertStates) state?: (typeof alertStates)[number];
  @ApiPropertyOptional({ example: 'XP-20261123-000042' }) @Optional() @Matches(referencePattern, { message: 'reference must look like XP-20261123-000042' }) reference?: string;
  @ApiPropertyOptional({ example: 'attendance-1' }) @Optional() @Matches(/^[a-z-]+-[0-9]{1,3}$/, { message: 'clock must be a clock id such as attendance-1' }) clock?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 9 }) @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(9) level?: number;
  @ApiPropertyOptional() @Optional() @IsText(1, 64) team?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @Optional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class AcknowledgementDto {
  @ApiProperty({ enum: acknowledgementActions }) @IsIn(acknowledgementActions) action!: (typeof acknowledgementActions)[number];
  @ApiPropertyOptional({ description: 'What was done, in a few words (kept on the alert, not in its stream)', maxLength: 1000 })
  @Optional()
  @IsText(1, 1000)
  note?: string;
}

class AlertActorView {
  @ApiProperty() subject!: string;
  @ApiProperty() role!: string;
}

class AcknowledgementView {
  @ApiProperty({ type: 'string', format: 'date-time' }) at!: string;
  @ApiProperty({ type: AlertActorView }) by!: AlertActorView;
  @ApiProperty({ enum: acknowledgementActions }) action!: string;
}

class DeliveryView {
  @ApiProperty({ description: 'Delivery to the role\'s webhook: `not-configured`, `pending`, `delivered` or `failed`' }) state!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) deliveredAt!: string | null;
}

/** An alert: codes, times and staff ids only, never what a caller said. */
export class AlertView {
  @ApiProperty({ description: 'Starts with its case reference' }) id!: string;
  @ApiProperty({ example: 'XP-20261123-000042' }) reference!: string;
  @ApiProperty({ enum: alertKinds }) kind!: string;
  @ApiProperty({ type: 'integer', description: 'The level in the escalation chain' }) level!: number;
  @ApiProperty({ description: 'The role it is addressed to' }) role!: string;
  @ApiProperty() team!: string;
  @ApiProperty({ description: '`clock-warning`, `clock-breach`, `clock-re-escalation`, or `manual:<reason>`' }) reason!: string;
  @ApiProperty({ type: 'string', nullable: true }) clock!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', description: 'When the alarm fell due (or the person escalated)' }) raisedAt!: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: "The clock's deadline" }) dueAt!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', description: 'When the case store recorded it' }) writtenAt!: string;
  @ApiProperty({ enum: alertStates }) state!: string;
  @ApiProperty({ type: AcknowledgementView, nullable: true }) acknowledgement!: AcknowledgementView | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) closedAt!: string | null;
  @ApiProperty({ type: DeliveryView }) delivery!: DeliveryView;
}

export class AlertsPageView {
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) offset!: number;
  @ApiProperty({ type: [AlertView], description: 'Open first, then newest first' }) items!: AlertView[];
}
