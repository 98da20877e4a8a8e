import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import { type AppConfig } from '../../config/app-config.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { postSigned } from '../platform/common/signed-post.js';
import { AlertQueries } from './alert-queries.service.js';
import { webhookDeliveries } from '../platform/telemetry/metrics.js';

/** The header that carries a delivery's signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'x-alert-signature';

export class WebhookDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

/**
 * Posts alerts to the webhooks that roles have in the configuration, and records each attempt on
 * the alert. Called by the alert delivery activity, which Temporal retries until it succeeds.
 */
@Injectable()
export class AlertWebhooks {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertQueries,
    private readonly store: StoreDatabase,
  ) {}

  async deliver(alertId: string): Promise<'delivered' | 'already-delivered' | 'not-configured'> {
    const alert = await this.alerts.find(alertId);
    const update = () => this.store.db.updateTable('case_alert').where('id', '=', alertId);
    if (!alert) throw new WebhookDeliveryError(`No alert ${alertId} in the case store`);
    if (alert.delivery.state === 'delivered') return 'already-delivered';
    const url = this.config.alerts.webhooks[alert.role];
    if (!url || !this.config.alerts.webhookSecret) {
      await update().set({ delivery_state: 'not-configured' }).execute();
      webhookDeliveries.inc({ role: alert.role, state: 'not-configured' });
      return 'not-configured';
    }
    const body = JSON.stringify({ alert });
    const posted = await postSigned(url, body, { secret: this.config.alerts.webhookSecret, signatureHeader: SIGNATURE_HEADER, idempotencyKey: alert.id, userAgent: 'police-contact-alerts' });
    if (posted.ok) await posted.response.body?.cancel();
    const failure = posted.ok ? null : posted.failure;
    if (failure) {
      await update()
        .set((eb) => ({ delivery_state: 'retrying', delivery_attempts: eb('delivery_attempts', '+', 1) }))
        .where('delivery_state', '<>', 'delivered')
        .execute();
      webhookDeliveries.inc({ role: alert.role, state: 'failed' });
      throw new WebhookDeliveryError(`Alert ${alertId} to ${alert.role}: ${failure}`);
    }
    await update()
      .set((eb) => ({ delivery_state: 'delivered', delivery_attempts: eb('delivery_attempts', '+', 1), delivered_at: eb.fn<Date>('now') }))
      .execute();
    webhookDeliveries.inc({ role: alert.role, state: 'delivered' });
    return 'delivered';
  }
}
