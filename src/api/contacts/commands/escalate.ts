import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { escalationReasons } from '../../../domain/clocks.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { commandRoute } from './route.js';

export class EscalationDto extends createZodDto(z.strictObject({ reason: z.enum(escalationReasons) })) {}

export const escalateRoute = commandRoute({
  name: 'escalate',
  path: 'escalations',
  permission: Permission.ContactEscalate,
  summary: 'Escalate the case by hand: the level rises and the next role in the chain is notified',
  body: EscalationDto,
  given: (body) => ({ command: { type: 'escalate', reason: body.reason } }),
});
