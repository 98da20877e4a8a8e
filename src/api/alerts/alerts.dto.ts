import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { codes, integer, orNull, page, queryInteger } from '../common/text.js';
import { CLOCK_ID, text } from '../../domain/fields.js';
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

const alertActorViewFields = z.object({
  subject: z.string(),
  role: z.string(),
});
const alertActorViewSchema = alertActorViewFields.meta({ id: 'AlertActorView' });

const acknowledgementViewFields = z.object({
  at: z.string().meta({ format: 'date-time' }),
  by: alertActorViewSchema,
  action: codes(acknowledgementActions),
});
const acknowledgementViewSchema = acknowledgementViewFields.meta({ id: 'AcknowledgementView' });

const deliveryViewFields = z.object({
  state: z.string().meta({ description: 'Delivery to the role\'s webhook: `not-configured`, `pending`, `delivered` or `failed`' }),
  attempts: integer(),
  deliveredAt: orNull(z.string()).meta({ format: 'date-time' }),
});
const deliveryViewSchema = deliveryViewFields.meta({ id: 'DeliveryView' });

/** An alert: codes, times and staff ids only, never what a caller said. */
const alertViewFields = z.object({
  id: z.string().meta({ description: 'Starts with its case reference' }),
  reference: z.string().meta({ example: 'XP-20261123-000042' }),
  kind: codes(alertKinds),
  level: integer().meta({ description: 'The level in the escalation chain' }),
  role: z.string().meta({ description: 'The role it is addressed to' }),
  team: z.string(),
  reason: z.string().meta({ description: '`clock-warning`, `clock-breach`, `clock-re-escalation`, or `manual:<reason>`' }),
  clock: orNull(z.string()),
  raisedAt: z.string().meta({ format: 'date-time', description: 'When the alarm fell due (or the person escalated)' }),
  dueAt: orNull(z.string()).meta({ format: 'date-time', description: "The clock's deadline" }),
  writtenAt: z.string().meta({ format: 'date-time', description: 'When the case store recorded it' }),
  state: codes(alertStates),
  acknowledgement: acknowledgementViewSchema.nullable(),
  closedAt: orNull(z.string()).meta({ format: 'date-time' }),
  delivery: deliveryViewSchema,
});
export const alertViewSchema = alertViewFields.meta({ id: 'AlertView' });
export class AlertView extends createZodDto(alertViewFields) {}

const alertsPageViewFields = z.object({
  total: integer(),
  limit: integer(),
  offset: integer(),
  items: z.array(alertViewSchema).meta({ description: 'Open first, then newest first' }),
});
export const alertsPageViewSchema = alertsPageViewFields.meta({ id: 'AlertsPageView' });
export class AlertsPageView extends createZodDto(alertsPageViewFields) {}
