import { activeClocks, armClock, type ClockBook, type ClockStep, hasClockRule, meetClocks } from '../clocks.js';
import { type ContactCaseState } from '../contact-case.js';
import { type ContactPolicy } from '../policy.js';
import { type RiskScreening } from '../risk-screening.js';
import { type CaseCommandDefinition, commandRequest, stageConflict } from './command.js';
import { Permission } from '../permissions.js';

/** Why a waiting submission needs no immediate action, as a code (the words, if any, go in a note). */
export const riskReviewReasons = ['no-risk-indicators', 'risk-managed-elsewhere', 'awaiting-information', 'caller-confirmed-safe'] as const;
export type RiskReviewReason = (typeof riskReviewReasons)[number];

/** The clocks that time a waiting submission's regular risk review. */
export const riskReviewKinds = ['risk-review', 'risk-review-ir'] as const;

/**
 * The next review of a waiting submission, where the policy times one: on the IR cadence when the
 * submission is marked IR (and the policy has one), else on the ordinary cadence. Nothing when the
 * policy has no cadence (policies from before it arm nothing, and their histories replay as they ran).
 */
export function armRiskReview(book: ClockBook, policy: ContactPolicy, screening: Pick<RiskScreening, 'riskMarker'>, atMs: number): ClockStep {
  const kind = screening.riskMarker === 'IR' && hasClockRule(policy, 'risk-review-ir') ? 'risk-review-ir' : 'risk-review';
  return hasClockRule(policy, kind) ? armClock(book, policy, kind, atMs) : { book, entries: [] };
}

/** The review clocks a case has running (or breached). */
const runningReviews = (state: ContactCaseState) => riskReviewKinds.flatMap((kind) => activeClocks(state, kind));

export interface ReviewRiskCommand {
  type: 'review-risk';
  reason: RiskReviewReason;
}

/**
 * A handler looks again at a submission still waiting for its first assessment and confirms it
 * needs no immediate action, with the reason: the review that was due is met and the next is armed
 * at the policy's cadence. (Finding that it does need action is an assessment, which meets the
 * reviews for good.)
 */
export const reviewRisk: CaseCommandDefinition<ReviewRiskCommand> = {
  type: 'review-risk',
  update: 'reviewRisk',
  request: commandRequest<ReviewRiskCommand>()({
    operation: 'reviewRisk',
    bodyName: 'RiskReviewDto',
    resource: 'risk-reviews',
    permission: Permission.ContactAssess,
    summary: "Confirm that a submission still waiting for its first assessment needs no immediate action: the review due is met, the next armed at the policy's cadence",
    body: ({ z }) => z.strictObject({
      reason: z.enum(riskReviewReasons).meta({ description: 'Why the waiting submission needs no immediate action' }),
    }),
    given: (body) => ({ command: { type: 'review-risk', reason: body.reason } }),
  }),
  reject(state) {
    if (state.assessmentCount > 0) return stageConflict(state, 'an assessed case is no longer waiting: its risk is in its assessment');
    if (runningReviews(state).length === 0) return stageConflict(state, 'no risk review is running on this case');
    return null;
  },
  apply(_next, command, { state }) {
    return [{ type: 'risk-reviewed', details: { reason: command.reason, riskMarker: state.screening.riskMarker } }];
  },
  clocks(plan, _command, { next, nowMs, policy }) {
    for (const kind of riskReviewKinds) plan.then(meetClocks(plan.book, kind, nowMs));
    plan.then(armRiskReview(plan.book, policy, next.screening, nowMs));
  },
};
