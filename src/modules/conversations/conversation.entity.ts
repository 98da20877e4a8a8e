import { defineEntity, p } from '@mikro-orm/core';
import { caseReference } from '../contact-cases/case-records.entity.js';

/** A platform's conversation and the case that holds it (see the conversations migration). */
export const ConversationSchema = defineEntity({
  name: 'Conversation',
  tableName: 'conversation',
  properties: {
    key: p.character().length(64).primary(),
    generation: p.integer().primary(),
    reference: caseReference('conversation').unique('conversation_reference_key'),
    channel: p.string().length(32),
    platform: p.string().length(32),
    externalId: p.string().length(200),
    openedAt: p.datetime(),
    lastInboundAt: p.datetime().nullable(),
    lastOutboundAt: p.datetime().nullable(),
    awaitingSince: p.datetime().nullable(),
    unanswered: p.integer().default(0),
  },
  indexes: [{ name: 'conversation_awaiting', properties: ['channel', 'awaitingSince'] }],
});

/** Delivery to a platform, as replies and posts record it. */
const deliveryColumns = () => ({
  deliveryState: p.string().length(16),
  deliveryAttempts: p.integer().default(0),
  deliveredAt: p.datetime().nullable(),
  platformMessageId: p.string().length(200).nullable(),
  lastError: p.string().length(200).nullable(),
});

/** One message of a case's conversation, in or out, with its words. */
export const CaseMessageSchema = defineEntity({
  name: 'CaseMessage',
  tableName: 'case_message',
  properties: {
    id: p.string().primary().length(128),
    reference: caseReference('case_message'),
    direction: p.string().length(8),
    platform: p.string().length(32),
    inboundKey: p.character().length(64).nullable().unique('case_message_inbound_key_key'),
    authorHandle: p.string().length(200).nullable(),
    actorSubject: p.string().length(128),
    actorRole: p.string().length(64),
    text: p.text(),
    sentAt: p.datetime(),
    recordedAt: p.datetime(),
    ...deliveryColumns(),
  },
  indexes: [{ name: 'case_message_reference', properties: ['reference', 'sentAt'] }],
});

/** A post from the media team: what, by whom and when are fixed once written; its delivery moves on. */
export const SocialMediaPostSchema = defineEntity({
  name: 'SocialMediaPost',
  tableName: 'social_media_post',
  properties: {
    id: p.string().primary().length(64),
    platform: p.string().length(32),
    text: p.text(),
    authorSubject: p.string().length(128),
    authorRole: p.string().length(64),
    createdAt: p.datetime(),
    ...deliveryColumns(),
  },
  indexes: [{ name: 'social_media_post_created', properties: ['createdAt'] }],
});
