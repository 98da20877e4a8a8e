import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { assignmentReasons } from '../../../domain/alerts.js';
import { grantingRole, Permission } from '../../../modules/platform/access/permissions.js';
import { DomainError, DomainErrorCode } from '../../../modules/platform/errors/domain-error.js';
import { SUBJECT, TEAM } from '../../common/text.js';
import { commandRoute } from './route.js';

export class AssignmentDto extends createZodDto(
  z
    .strictObject({
      assignee: z
        .string()
        .regex(SUBJECT, { error: 'must be a staff subject: 1 to 128 letters, digits, dots, dashes, underscores or @' })
        .meta({ description: "The staff member's identity-provider subject; a contact handler may name only themself (a claim)", example: 'pc-3301' }),
      team: z
        .string()
        .regex(TEAM, { error: 'must be 1 to 64 lower-case letters, digits or dashes' })
        .optional()
        .meta({ description: "The team; the case's own team when left out", example: 'contact-centre' }),
      reason: z.enum(assignmentReasons),
    }),
) {}

export const assignRoute = commandRoute({
  name: 'assign',
  path: 'assignment',
  permission: Permission.ContactClaim,
  summary: 'Assign the case: a contact handler claims it for themself; a team leader or duty inspector assigns it to anyone, in any team',
  body: AssignmentDto,
  explicitCreated: true,
  given: (body, actor) => {
    const supervisor = grantingRole(actor.roles, Permission.ContactSupervise);
    if (!supervisor && (body.assignee !== actor.subject || body.team !== undefined)) {
      throw new DomainError(DomainErrorCode.Forbidden, `Assigning a case to someone else, or to another team, needs ${Permission.ContactSupervise}: a contact handler may only claim it`);
    }
    return { command: { type: 'assign', assignee: body.assignee, team: body.team, reason: body.reason }, actor: supervisor ? { ...actor, role: supervisor } : actor };
  },
});
