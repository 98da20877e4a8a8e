import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { CLOCK_ID, page, queryInteger, text } from '../common/text.js';
import { acknowledgementActions, alertKinds } from '../../domain/alerts.js';
import { referencePattern } from '../../domain/reference.js';

export const alertStates = ['open', 'acknowledged', 'closed'] as const;

export class AlertsQueryDto extends createZodDto(
  z.strictObject({
    state: z.enum(alertStates).optional(),
    reference: z.string().regex(referencePattern, { error: 'must look like XP-20261123-000042' }).optional().meta({ example: 'XP-20261123-000042' }),
    clock: z.string().regex(CLOCK_ID, { error: 'must be a clock id such as attendance-1' }).optional().meta({ example: 'attendance-1' }),
    level: queryInteger(1, 9).optional(),
    team: text(1, 64).optional(),
    ...page(50),
  }),
) {}

export class AcknowledgementDto extends createZodDto(
  z
    .strictObject({
      action: z.enum(acknowledgementActions),
      note: text(1, 1000).optional().meta({ description: 'What was done, in a few words (kept on the alert, not in its stream)' }),
    }),
) {}

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
