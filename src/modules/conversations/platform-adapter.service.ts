import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type OutboundDeliveryInput } from '../../workflows/outbound-delivery.messages.js';
import { postSigned } from '../platform/common/signed-post.js';
import { Sql } from '../platform/database/sql.js';
import { platformDeliveries } from '../platform/telemetry/metrics.js';

/** The header that signs what goes to the platform and what a platform's webhook sends us. */
export const PLATFORM_SIGNATURE_HEADER = 'x-platform-signature';

export class PlatformDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlatformDeliveryError';
  }
}

interface Outgoing {
  state: string;
  platform: string;
  text: string;
  /** Where a reply goes: the platform's conversation. Null for a post. */
  conversationId: string | null;
}

/**
 * The reference platform adapter: sends replies and posts to a platform connector over HTTP, signed
 * (HMAC-SHA256 over the time and the body) and with the message's id as an idempotency key, and
 * records every attempt on the message. Called by the outbound delivery activity, which Temporal
 * retries until the platform takes the message.
 *
 * The connector's side of it: `POST <url>/conversations/<id>/messages` and `POST <url>/posts`, each
 * answering 2xx with `{ "id": "<the platform's id>" }`, and treating a repeated idempotency key as
 * the same message.
 */
@Injectable()
export class PlatformAdapter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sql: Sql,
  ) {}

  private table(kind: OutboundDeliveryInput['kind']) {
    return kind === 'reply' ? 'case_message' : 'social_media_post';
  }

  private async outgoing(input: OutboundDeliveryInput): Promise<Outgoing | undefined> {
    const [row] =
      input.kind === 'reply'
        ? await this.sql.query<Outgoing>(
            `select m.delivery_state as state, m.platform, m.text, c.external_id as "conversationId"
             from case_message m join conversation c on c.reference = m.reference where m.id = $1 and m.direction = 'outbound'`,
            [input.id],
          )
        : await this.sql.query<Outgoing>(`select delivery_state as state, platform, text, null as "conversationId" from social_media_post where id = $1`, [input.id]);
    return row;
  }

  async deliver(input: OutboundDeliveryInput): Promise<'delivered' | 'already-delivered' | 'not-configured'> {
    const message = await this.outgoing(input);
    if (!message) throw new PlatformDeliveryError(`No ${input.kind} ${input.id} in the case store`);
    if (message.state === 'delivered') return 'already-delivered';
    const table = this.table(input.kind);
    const { platformUrl, secret } = this.config.channels;
    if (!platformUrl || !secret) {
      await this.sql.query(`update "${table}" set "delivery_state" = 'not-configured' where "id" = $1`, [input.id]);
      platformDeliveries.inc({ kind: input.kind, state: 'not-configured' });
      return 'not-configured';
    }
    const base = platformUrl.replace(/\/+$/, '');
    const url = message.conversationId === null ? `${base}/posts` : `${base}/conversations/${encodeURIComponent(message.conversationId)}/messages`;
    const body = JSON.stringify({ platform: message.platform, ...(message.conversationId === null ? {} : { conversationId: message.conversationId }), text: message.text });
    const posted = await postSigned(url, body, { secret, signatureHeader: PLATFORM_SIGNATURE_HEADER, idempotencyKey: input.id, userAgent: 'police-contact-platform-adapter' });
    const failure = posted.ok ? null : posted.failure.replace('the receiver', 'the platform');
    let platformId: string | null = null;
    if (posted.ok) {
      const answer = (await posted.response.json().catch(() => ({}))) as { id?: unknown };
      platformId = typeof answer.id === 'string' ? answer.id.slice(0, 200) : null;
    }
    if (failure) {
      await this.sql.query(
        `update "${table}" set "delivery_state" = 'retrying', "delivery_attempts" = "delivery_attempts" + 1, "last_error" = $2 where "id" = $1 and "delivery_state" <> 'delivered'`,
        [input.id, failure.slice(0, 200)],
      );
      platformDeliveries.inc({ kind: input.kind, state: 'failed' });
      throw new PlatformDeliveryError(`${input.kind} ${input.id}: ${failure}`);
    }
    await this.sql.query(
      `update "${table}" set "delivery_state" = 'delivered', "delivery_attempts" = "delivery_attempts" + 1, "delivered_at" = now(), "platform_message_id" = $2, "last_error" = null where "id" = $1`,
      [input.id, platformId],
    );
    platformDeliveries.inc({ kind: input.kind, state: 'delivered' });
    return 'delivered';
  }

  async markFailed(input: OutboundDeliveryInput & { reason: string }): Promise<void> {
    await this.sql.query(`update "${this.table(input.kind)}" set "delivery_state" = 'failed', "last_error" = $2 where "id" = $1 and "delivery_state" <> 'delivered'`, [input.id, input.reason.slice(0, 200)]);
    platformDeliveries.inc({ kind: input.kind, state: 'given-up' });
  }
}
