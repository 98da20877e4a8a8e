import type { SatisfactionRule, SurveyRoute } from '../domain/satisfaction.js';

/** The satisfaction survey workflow's contract: one per closed case under a policy that asks. */
export const satisfactionSurveyWorkflowType = 'satisfactionSurveyWorkflow';

export interface SatisfactionSurveyInput {
  reference: string;
  /** The rule of the policy the case ran under. */
  rule: SatisfactionRule;
}

export const satisfactionSurveyWorkflowId = (reference: string) => `survey-${reference}`;

/** The activities the survey workflow calls, as it sees them; the worker's provider implements them. */
export interface SatisfactionSurveyActivities {
  /** Decides once whether the caller is asked and how (null: the case is not closed in the store). */
  decideSurvey(input: SatisfactionSurveyInput): Promise<{ id: string; route: SurveyRoute | null } | null>;
}
