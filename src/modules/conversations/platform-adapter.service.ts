import { Inject, Injectable } from '@nestjs/common';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type OutboundDeliveryInput } from '../../workflows/outbound-delivery.messages.js';
import { postSigned } from '../platform/common/signed-post.js';
import { StoreDatabase } from '../platform/database/store-db.js';
import { platformDeliveries } from '../platform/telemetry/metrics.js';
import { surveyInvitation } from '../../domain/satisfaction.js';
import { SurveyLinks } from '../satisfaction/survey-links.js';

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
  /** Where a reply goes: the platform's conversation. Null for a post or a survey sent by text or e-mail. */
  conversationId: string | null;
  /** A survey's invitation by text or e-mail: how, and to whom. */
  direct?: { route: 'sms' | 'email'; to: string };
}

const deliveryTables = { reply: 'case_message', post: 'social_media_post', survey: 'satisfaction_survey' } as const;

/**
 * The reference platform adapter: sends replies and posts to a platform connector over HTTP, signed
 * (HMAC-SHA256 over the time and the body) and with the message's id as an idempotency key, and
 * records every attempt on the message. Called by the outbound delivery activity, which Temporal
 * retries until the platform takes the message.
 *
 * The connector's side of it: `POST <url>/conversations/<id>/messages`, `POST <url>/posts` and
 * `POST <url>/surveys` (`{ route: "sms" | "email", to, text }`: a survey's invitation), each answering 2xx with `{ "id": "<the platform's id>" }`, and treating a repeated idempotency key as
 * the same message.
 */
@Injectable()
export class PlatformAdapter {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: StoreDatabase,
    private readonly links: SurveyLinks,
  ) {}

  /** An update of the message's delivery: replies and posts record it in the same columns. */
  private update(input: OutboundDeliveryInput) {
    return this.store.db.updateTable(deliveryTables[input.kind]).where('id', '=', input.id);
  }

  private async outgoing(input: OutboundDeliveryInput): Promise<Outgoing | undefined> {
    if (input.kind === 'survey') return this.survey(input.id);
    const row =
      input.kind === 'reply'
        ? await this.store.db
            .selectFrom('case_message as m')
            .innerJoin('conversation as c', 'c.reference', 'm.reference')
            .select(['m.delivery_state as state', 'm.platform', 'm.text', 'c.external_id as conversationId'])
            .where('m.id', '=', input.id)
            .where('m.direction', '=', 'outbound')
            .executeTakeFirst()
        : await this.store.db
            .selectFrom('social_media_post')
            .select((eb) => ['delivery_state as state', 'platform', 'text', eb.val<string | null>(null).as('conversationId')])
            .where('id', '=', input.id)
            .executeTakeFirst();
    return row;
  }

  /**
   * A survey's invitation: in the case's conversation, or by text or e-mail to what the caller gave
   * (read from the case as it is sent, never carried in the workflow). The words name no case.
   */
  private async survey(id: string): Promise<Outgoing | undefined> {
    const row = await this.store.db
      .selectFrom('satisfaction_survey as s')
      .innerJoin('contact_case as c', 'c.reference', 's.reference')
      .leftJoin('conversation as v', 'v.reference', 's.reference')
      .select(['s.delivery_state as state', 's.route', 's.expires_at', 'c.caller', 'v.platform', 'v.external_id'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row || !row.expires_at || (row.route !== 'conversation' && row.route !== 'sms' && row.route !== 'email')) return undefined;
    const text = surveyInvitation(this.links.link(id, row.expires_at), Math.round((row.expires_at.getTime() - Date.now()) / 3_600_000));
    if (row.route === 'conversation') return { state: row.state, platform: row.platform ?? 'unknown', text, conversationId: row.external_id };
    const caller = row.caller as { phone?: string; email?: string };
    const to = row.route === 'sms' ? caller.phone : caller.email;
    if (!to) return undefined;
    return { state: row.state, platform: row.route, text, conversationId: null, direct: { route: row.route, to } };
  }

  async deliver(input: OutboundDeliveryInput): Promise<'delivered' | 'already-delivered' | 'not-configured'> {
    const message = await this.outgoing(input);
    if (!message) throw new PlatformDeliveryError(`No ${input.kind} ${input.id} in the case store`);
    if (message.state === 'delivered') return 'already-delivered';
    const { platformUrl, secret } = this.config.channels;
    if (!platformUrl || !secret) {
      await this.update(input).set({ delivery_state: 'not-configured' }).execute();
      platformDeliveries.inc({ kind: input.kind, state: 'not-configured' });
      return 'not-configured';
    }
    const base = platformUrl.replace(/\/+$/, '');
    const url = message.direct ? `${base}/surveys` : message.conversationId === null ? `${base}/posts` : `${base}/conversations/${encodeURIComponent(message.conversationId)}/messages`;
    const body = JSON.stringify(
      message.direct
        ? { route: message.direct.route, to: message.direct.to, text: message.text }
        : { platform: message.platform, ...(message.conversationId === null ? {} : { conversationId: message.conversationId }), text: message.text },
    );
    const posted = await postSigned(url, body, { secret, signatureHeader: PLATFORM_SIGNATURE_HEADER, idempotencyKey: input.id, userAgent: 'police-contact-platform-adapter' });
    const failure = posted.ok ? null : posted.failure.replace('the receiver', 'the platform');
    let platformId: string | null = null;
    if (posted.ok) {
      const answer = (await posted.response.json().catch(() => ({}))) as { id?: unknown };
      platformId = typeof answer.id === 'string' ? answer.id.slice(0, 200) : null;
    }
    if (failure) {
      await this.update(input)
        .set((eb) => ({ delivery_state: 'retrying', delivery_attempts: eb('delivery_attempts', '+', 1), last_error: failure.slice(0, 200) }))
        .where('delivery_state', '<>', 'delivered')
        .execute();
      platformDeliveries.inc({ kind: input.kind, state: 'failed' });
      throw new PlatformDeliveryError(`${input.kind} ${input.id}: ${failure}`);
    }
    await this.update(input)
      .set((eb) => ({ delivery_state: 'delivered', delivery_attempts: eb('delivery_attempts', '+', 1), delivered_at: eb.fn<Date>('now'), platform_message_id: platformId, last_error: null }))
      .execute();
    platformDeliveries.inc({ kind: input.kind, state: 'delivered' });
    return 'delivered';
  }

  async markFailed(input: OutboundDeliveryInput & { reason: string }): Promise<void> {
    await this.update(input).set({ delivery_state: 'failed', last_error: input.reason.slice(0, 200) }).where('delivery_state', '<>', 'delivered').execute();
    platformDeliveries.inc({ kind: input.kind, state: 'given-up' });
  }
}
