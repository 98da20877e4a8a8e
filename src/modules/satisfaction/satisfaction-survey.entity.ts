import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * One closed case's survey: whether its caller was asked (and how) or why not, the link's expiry,
 * the answer, and the delivery of the invitation. One row per case: the decision is made once.
 * The case's team, channel, outcome and first contact resolution are kept with it for the figures.
 */
export const SatisfactionSurveySchema = defineEntity({
  name: 'SatisfactionSurvey',
  tableName: 'satisfaction_survey',
  properties: {
    id: p.uuid().primary(),
    reference: p.string().length(32).unique('satisfaction_survey_reference_key'),
    decision: p.string().length(16),
    notAskedReason: p.string().length(24).nullable(),
    route: p.string().length(16).nullable(),
    team: p.string().length(64),
    channel: p.string().length(32),
    outcome: p.string().length(32).nullable(),
    firstContactResolution: p.boolean().nullable(),
    decidedAt: p.datetime(),
    expiresAt: p.datetime().nullable(),
    answeredAt: p.datetime().nullable(),
    rating: p.smallint().nullable(),
    comment: p.text().nullable(),
    deliveryState: p.string().length(16),
    deliveryAttempts: p.integer().defaultRaw('0'),
    deliveredAt: p.datetime().nullable(),
    platformMessageId: p.string().length(200).nullable(),
    lastError: p.string().length(200).nullable(),
  },
  checks: [{ name: 'satisfaction_survey_rating_check', expression: '((rating IS NULL) OR ((rating >= 1) AND (rating <= 5)))' }],
  indexes: [
    { name: 'satisfaction_survey_offered', properties: ['decision', 'decidedAt'] },
    { name: 'satisfaction_survey_call_back', properties: ['route', 'answeredAt'] },
  ],
});

export type SatisfactionSurvey = InferEntity<typeof SatisfactionSurveySchema>;
