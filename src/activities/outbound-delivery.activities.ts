import { PlatformAdapter } from '../modules/conversations/platform-adapter.service.js';
import { ActivitiesProvider } from '../modules/platform/temporal/activities.decorator.js';
import type { OutboundDeliveryActivities, OutboundDeliveryInput } from '../workflows/outbound-delivery.messages.js';

/** Sends replies and posts through the platform adapter; a failed attempt throws, and Temporal retries it. */
@ActivitiesProvider()
export class OutboundDeliveryActivitiesProvider implements OutboundDeliveryActivities {
  constructor(private readonly platform: PlatformAdapter) {}

  async deliverOutbound(input: OutboundDeliveryInput): Promise<void> {
    await this.platform.deliver(input);
  }

  async markOutboundFailed(input: OutboundDeliveryInput & { reason: string }): Promise<void> {
    await this.platform.markFailed(input);
  }
}
