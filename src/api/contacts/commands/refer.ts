import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { referralKinds } from '../../../domain/contact-case.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { text } from '../../common/text.js';
import { commandRoute } from './route.js';

export class ReferralDto extends createZodDto(z.strictObject({ agency: text(2, 128), kind: z.enum(referralKinds), reason: text(5, 2000) })) {}

export const referRoute = commandRoute({
  name: 'refer',
  path: 'referrals',
  permission: Permission.ContactRefer,
  summary: 'Refer to a partner agency or for safeguarding',
  body: ReferralDto,
  given: (body) => ({ command: { type: 'refer', referral: { agency: body.agency, kind: body.kind, reason: body.reason } } }),
});
