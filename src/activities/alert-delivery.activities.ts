import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import { AlertWebhooks } from '../modules/alerts/alert-webhooks.service.js';
import type { AlertDeliveryActivities, AlertDeliveryInput } from '../workflows/alert-delivery.messages.js';

/** Delivers alerts to their roles' webhooks; a failed attempt throws, and Temporal retries it. */
@ActivitiesProvider()
export class AlertDeliveryActivitiesProvider implements AlertDeliveryActivities {
  constructor(private readonly webhooks: AlertWebhooks) {}

  async deliverAlert(input: AlertDeliveryInput): Promise<void> {
    await this.webhooks.deliver(input.alertId);
  }
}
