import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { OutboundDeliveryActivities, OutboundDeliveryInput } from './outbound-delivery.messages.js';

const { deliverOutbound } = proxyActivities<OutboundDeliveryActivities>({
  startToCloseTimeout: '15 seconds',
  // A platform that is down is tried again soon after (the public is waiting), for up to a day.
  scheduleToCloseTimeout: '24 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
const { markOutboundFailed } = proxyActivities<OutboundDeliveryActivities>({ startToCloseTimeout: '15 seconds' });

/**
 * Delivers one reply or post to its platform, apart from the case: a platform that is down delays
 * only this workflow, and Temporal keeps trying through restarts. The adapter sends the row's id as
 * an idempotency key, so a try that reached the platform but was not answered is not posted twice.
 */
export async function outboundDeliveryWorkflow(input: OutboundDeliveryInput): Promise<void> {
  try {
    await deliverOutbound(input);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    await markOutboundFailed({ ...input, reason: (error.cause?.message ?? error.message).slice(0, 200) });
  }
}
