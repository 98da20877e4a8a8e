import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { regradeReasons } from '../../../domain/alerts.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { commandRoute } from './route.js';
import { grade } from './fields.js';

export class RegradeDto extends createZodDto(z.strictObject({ grade, reason: z.enum(regradeReasons) })) {}

export const regradeRoute = commandRoute({
  name: 'regrade',
  path: 'regrade',
  permission: Permission.ContactSupervise,
  summary: "A supervisor's regrade, with a reason code: no approval needed, recorded like every grade change, the graded clocks re-baselined",
  body: RegradeDto,
  explicitCreated: true,
  given: (body) => ({ command: { type: 'regrade', grade: body.grade, reason: body.reason } }),
});
