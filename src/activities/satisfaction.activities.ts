import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { SatisfactionSurveys } from '../modules/satisfaction/satisfaction.service.js';
import type { SatisfactionSurveyActivities, SatisfactionSurveyInput } from '../workflows/satisfaction-survey.messages.js';

/** Decides a closed case's survey in the case store. */
@ActivitiesProvider()
export class SatisfactionActivitiesProvider implements SatisfactionSurveyActivities {
  constructor(private readonly surveys: SatisfactionSurveys) {}

  decideSurvey(input: SatisfactionSurveyInput) {
    return this.surveys.decide(input.reference, input.rule);
  }
}
