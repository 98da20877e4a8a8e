import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { riskReviewReasons } from '../../../domain/commands/review-risk.js';
import { Permission } from '../../../modules/platform/access/permissions.js';
import { commandRoute } from './route.js';

export class RiskReviewDto extends createZodDto(
  z.strictObject({
    reason: z.enum(riskReviewReasons).meta({ description: 'Why the waiting submission needs no immediate action' }),
  }),
) {}

export const reviewRiskRoute = commandRoute({
  name: 'reviewRisk',
  path: 'risk-reviews',
  permission: Permission.ContactAssess,
  summary: "Confirm that a submission still waiting for its first assessment needs no immediate action: the review due is met, the next armed at the policy's cadence",
  body: RiskReviewDto,
  given: (body) => ({ command: { type: 'review-risk', reason: body.reason } }),
});
