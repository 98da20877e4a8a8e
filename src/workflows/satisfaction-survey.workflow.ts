import { proxyActivities } from '@temporalio/workflow';
import { outboundDeliveryWorkflow } from './outbound-delivery.workflow.js';
import type { SatisfactionSurveyActivities, SatisfactionSurveyInput } from './satisfaction-survey.messages.js';

const { decideSurvey } = proxyActivities<SatisfactionSurveyActivities>({
  startToCloseTimeout: '15 seconds',
  // The store may be down for a while: the decision waits for it, for up to a day.
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Asks a closed case's caller how it went, apart from the case: decides once whether and how they
 * are asked, then sends the invitation as any outbound message is sent (retried through a platform
 * outage for up to a day, then marked failed). A call-back is the force's to make: nothing goes out.
 */
export async function satisfactionSurveyWorkflow(input: SatisfactionSurveyInput): Promise<void> {
  const decided = await decideSurvey(input);
  if (decided === null || decided.route === null || decided.route === 'call-back') return;
  await outboundDeliveryWorkflow({ kind: 'survey', id: decided.id });
}
