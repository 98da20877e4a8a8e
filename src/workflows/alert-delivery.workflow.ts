import { proxyActivities } from '@temporalio/workflow';
import type { AlertDeliveryActivities, AlertDeliveryInput } from './alert-delivery.messages.js';

const { deliverAlert } = proxyActivities<AlertDeliveryActivities>({
  startToCloseTimeout: '15 seconds',
  // An endpoint that is down is tried again soon after (an alert is urgent), for up to a day.
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/**
 * Delivers one alert outside the app, apart from its case: a failing endpoint delays only this
 * workflow, never the case, and Temporal keeps retrying it through restarts.
 */
export async function alertDeliveryWorkflow(input: AlertDeliveryInput): Promise<void> {
  await deliverAlert(input);
}
