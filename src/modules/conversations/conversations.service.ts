import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { type AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { type ActorRef } from '../../domain/actor.js';
import { type ContactCaseState } from '../../domain/contact-case.js';
import { type ConversationChannel, type DeliveryState, inboundMessageProblems, senderDetails } from '../../domain/conversations.js';
import { type CaseClock } from '../../domain/clocks.js';
import { commandIds } from '../../workflows/contact-case.messages.js';
import { outboundDeliveryWorkflowId, outboundDeliveryWorkflowType, type OutboundDeliveryInput } from '../../workflows/outbound-delivery.messages.js';
import { ContactCasesService } from '../contact-cases/contact-cases.service.js';
import { countRows, StoreDatabase } from '../platform/database/store-db.js';
import { DomainError, DomainErrorCode } from '../platform/errors/domain-error.js';
import { TemporalClientService } from '../platform/temporal/temporal-client.module.js';
import { conversationIntakeKey, conversationKey, inboundMessageKey } from './conversation-keys.js';
import { sha256 } from '../platform/common/canonical-json.js';

/** A message as a connector hands it over. */
export interface ConnectorMessage {
  platform: string;
  conversationId: string;
  messageId: string;
  handle: string;
  text: string;
  sentAt: string;
}

export interface ReceivedMessage {
  reference: string;
  /** The message's id on the case's thread. */
  messageId: string;
  /** True when this message opened the case. */
  caseOpened: boolean;
  /** True when the message had been handed over before: nothing changed. */
  replayed: boolean;
}

export interface InboxItem {
  reference: string;
  channel: string;
  platform: string;
  handle: string | null;
  waitingSince: string;
  waitedSeconds: number;
  unanswered: number;
  lastMessage: string | null;
  firstResponse: { state: string; dueAt: string } | null;
}

export interface PostRecord {
  id: string;
  platform: string;
  text: string;
  by: { subject: string; role: string };
  createdAt: string;
  deliveryState: DeliveryState;
  deliveryAttempts: number;
  deliveredAt: string | null;
  platformMessageId: string | null;
  lastError: string | null;
}

/** A contact may be recorded after the fact, but not from the future (allowing for clock skew). */
const FUTURE_SKEW_MS = 5 * 60_000;
/** Times a message is re-routed when its case closes under it (each time a new case opens). */
const ROUTING_ATTEMPTS = 3;

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Conversations: messages handed over by platform connectors become cases (the first message of a
 * conversation opens one, screened as every intake is) and join them (later messages); staff reply
 * through the platform adapter; the social media hub lists who waits for a reply; the media team
 * posts. Nothing here logs a message's words.
 */
@Injectable()
export class ConversationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cases: ContactCasesService,
    private readonly store: StoreDatabase,
    private readonly temporal: TemporalClientService,
  ) {}

  async receive(channel: ConversationChannel, message: ConnectorMessage, actor: ActorRef): Promise<ReceivedMessage> {
    const problems = inboundMessageProblems(channel, message);
    if (problems.length > 0) throw new DomainError(DomainErrorCode.InvalidInput, `Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
    if (Date.parse(message.sentAt) > Date.now() + FUTURE_SKEW_MS) {
      throw new DomainError(DomainErrorCode.RuleRefused, 'A message cannot have been sent in the future', [{ field: 'sentAt', message: 'sentAt is in the future' }]);
    }
    const inboundKey = inboundMessageKey(channel, message.platform, message.messageId);
    const seen = await this.seen(inboundKey);
    if (seen) return { ...seen, caseOpened: false, replayed: true };

    const key = conversationKey(channel, message.platform, message.conversationId);
    for (let attempt = 1; ; attempt++) {
      const { reference, caseOpened } = await this.caseFor(channel, key, message, actor);
      const commandId = commandIds.message(reference, inboundKey);
      try {
        await this.cases.command(
          reference,
          { type: 'receive-message', message: { platform: message.platform, externalId: message.messageId, handle: message.handle, text: message.text, sentAt: new Date(message.sentAt).toISOString() } },
          actor,
          commandId,
          // The same message whatever a connector's retry carries besides: known by its platform's id.
          { inboundKey },
        );
        return { reference, messageId: commandId, caseOpened, replayed: false };
      } catch (error) {
        // The case closed as the message came: it goes to the conversation's next case.
        if (!(error instanceof DomainError && error.code === DomainErrorCode.StageConflict) || attempt >= ROUTING_ATTEMPTS) throw error;
        const again = await this.seen(inboundKey);
        if (again) return { ...again, caseOpened: false, replayed: true };
      }
    }
  }

  private async seen(inboundKey: string): Promise<{ reference: string; messageId: string } | undefined> {
    const row = await this.store.db.selectFrom('case_message').select(['reference', 'id']).where('inbound_key', '=', inboundKey).executeTakeFirst();
    return row ? { reference: row.reference, messageId: row.id } : undefined;
  }

  /**
   * The open case that holds the conversation, or a new one. The case is opened under an
   * Idempotency-Key made from the conversation: messages that arrive together share one case. A
   * conversation whose case has closed goes on in a new case (the next generation).
   */
  private async caseFor(channel: ConversationChannel, key: string, message: ConnectorMessage, actor: ActorRef): Promise<{ reference: string; caseOpened: boolean }> {
    const latest = await this.store.db
      .selectFrom('conversation')
      .select((eb) => eb.fn.max('generation').as('generation'))
      .where('key', '=', key)
      .executeTakeFirst();
    for (let generation = latest?.generation ?? 1; ; generation++) {
      const intakeKey = conversationIntakeKey(key, generation);
      const known = await this.store.db
        .selectFrom('intake_request as i')
        .leftJoin('contact_case as c', 'c.reference', 'i.reference')
        .select(['i.reference', 'c.stage'])
        .where('i.idempotency_key', '=', intakeKey)
        .executeTakeFirst();
      if (known && known.stage === 'closed') continue;
      if (known) return { reference: known.reference, caseOpened: false };
      const sender = senderDetails(channel, message);
      const opened = await this.cases.intake(
        {
          channel,
          receivedAt: new Date(message.sentAt).toISOString(),
          caller: sender.caller,
          channelDetails: sender.channelDetails,
          narrative: message.text,
          conversation: { platform: message.platform, externalId: message.conversationId, key, generation },
        },
        actor,
        { key: intakeKey, requestHash: sha256(intakeKey) },
      );
      return { reference: opened.reference, caseOpened: !opened.replayed };
    }
  }

  /** A reply on the case's conversation: recorded on the case, then delivered through the platform adapter. */
  async reply(reference: string, text: string, actor: ActorRef, key: string | undefined): Promise<{ messageId: string; state: ContactCaseState }> {
    const messageId = key ? commandIds.keyed(reference, key) : commandIds.generated(reference, randomUUID());
    const state = await this.cases.command(reference, { type: 'send-message', text }, actor, messageId);
    return { messageId, state };
  }

  /** The channel a case came by, or 404. */
  async channelOf(reference: string): Promise<string> {
    const row = await this.store.db.selectFrom('contact_case').select('channel').where('reference', '=', reference).executeTakeFirst();
    if (!row) throw new DomainError(DomainErrorCode.NotFound, `No case ${reference}`);
    return row.channel;
  }

  /** Conversations waiting for a reply, longest wait first. */
  async inbox(channel: ConversationChannel, page: { limit: number; offset: number }): Promise<{ total: number; items: InboxItem[] }> {
    const waiting = this.store.db
      .selectFrom('conversation as v')
      .innerJoin('contact_case as k', 'k.reference', 'v.reference')
      .where('v.channel', '=', channel)
      .where('v.awaiting_since', 'is not', null)
      .where('k.stage', '<>', 'closed');
    const rows = await waiting
      .select((eb) => {
        // The last inbound message's author and text: a correlated subquery each.
        const lastInbound = <C extends 'author_handle' | 'text'>(column: C) =>
          eb
            .selectFrom('case_message as m')
            .select(`m.${column}`)
            .whereRef('m.reference', '=', 'v.reference')
            .where('m.direction', '=', 'inbound')
            .orderBy('m.sent_at', 'desc')
            .orderBy('m.id', 'desc')
            .limit(1);
        return [
        'v.reference',
        'v.channel',
        'v.platform',
        'v.awaiting_since',
        'v.unanswered',
        'k.clocks',
        eb.cast<number>(eb.fn.countAll().over(), 'integer').as('total'),
        eb.fn<Date>('now').as('now'),
        lastInbound('author_handle').as('handle'),
        lastInbound('text').as('last_message'),
      ] as const;
      })
      .orderBy('v.awaiting_since')
      .orderBy('v.reference')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const items = rows.map((row) => {
      const clock = [...(row.clocks as CaseClock[])].reverse().find((candidate) => candidate.kind === 'first-response');
      return {
        reference: row.reference,
        channel: row.channel,
        platform: row.platform,
        handle: row.handle,
        waitingSince: iso(row.awaiting_since)!,
        waitedSeconds: Math.max(0, Math.floor((new Date(row.now).getTime() - new Date(row.awaiting_since!).getTime()) / 1_000)),
        unanswered: row.unanswered,
        lastMessage: row.last_message,
        firstResponse: clock ? { state: clock.state, dueAt: clock.dueAt } : null,
      };
    });
    if (items.length > 0 || page.offset === 0) return { total: rows[0]?.total ?? 0, items };
    const count = await waiting.select(countRows().as('total')).executeTakeFirstOrThrow();
    return { total: count.total, items };
  }

  /** A post from the media team: recorded (what, by whom, when: never changed after), then delivered. */
  async post(platform: string, text: string, actor: ActorRef, key: string | undefined): Promise<{ post: PostRecord; replayed: boolean }> {
    const id = key ? `post-${sha256(`${actor.subject}\n${key}`).slice(0, 40)}` : `post-${randomUUID()}`;
    const inserted = await this.store.db
      .insertInto('social_media_post')
      .values({ id, platform, text, author_subject: actor.subject, author_role: actor.role, created_at: new Date(), delivery_state: 'pending' })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .returning('id')
      .execute();
    const post = (await this.posts({ id }))[0];
    if (inserted.length === 0 && (post.platform !== platform || post.text !== text)) {
      throw new DomainError(DomainErrorCode.IdempotencyConflict, 'This Idempotency-Key was used for a different post', [{ field: 'Idempotency-Key', message: 'already used for a different post' }]);
    }
    const input: OutboundDeliveryInput = { kind: 'post', id };
    await this.temporal.client.workflow
      .start(outboundDeliveryWorkflowType, { workflowId: outboundDeliveryWorkflowId(input), taskQueue: this.temporal.taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' })
      .catch((error: unknown) => {
        // Already delivered and closed: the post is there, which is all a repeat needs.
        if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
      });
    return { post, replayed: inserted.length === 0 };
  }

  async posts(filter: { id?: string; limit?: number; offset?: number } = {}): Promise<PostRecord[]> {
    const posts = this.store.db.selectFrom('social_media_post').selectAll();
    const rows = await (filter.id
      ? posts.where('id', '=', filter.id)
      : posts
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(filter.limit ?? 50)
          .offset(filter.offset ?? 0)
    ).execute();
    return rows.map((row) => ({
      id: row.id,
      platform: row.platform,
      text: row.text,
      by: { subject: row.author_subject, role: row.author_role },
      createdAt: iso(row.created_at)!,
      deliveryState: row.delivery_state as DeliveryState,
      deliveryAttempts: row.delivery_attempts,
      deliveredAt: iso(row.delivered_at),
      platformMessageId: row.platform_message_id,
      lastError: row.last_error,
    }));
  }

  /** Whether the platform adapter is configured (replies and posts otherwise stay `not-configured`). */
  get deliveryConfigured(): boolean {
    return Boolean(this.config.channels.platformUrl && this.config.channels.secret);
  }
}
