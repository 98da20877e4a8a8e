import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { MIN_RATIONALE_LENGTH } from '../../../domain/thrive.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { text } from '../../common/text.js';
import { commandRoute } from './route.js';

export class DowngradeDecisionDto extends createZodDto(
  z
    .strictObject({
      approve: z.boolean().meta({ description: 'true approves the pending downgrade, false refuses it' }),
      rationale: text(MIN_RATIONALE_LENGTH, 2000),
    }),
) {}

export const decideDowngradeRoute = commandRoute({
  name: 'decideDowngrade',
  path: 'downgrade-approvals',
  permission: Permission.ContactApproveDowngrade,
  summary: 'Approve or refuse the pending downgrade (a supervisor other than its proposer)',
  body: DowngradeDecisionDto,
  given: (body) => ({ command: { type: 'decide-downgrade', approve: body.approve, rationale: body.rationale } }),
});
