import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { SocialMediaPlatform } from '../../domain/channels.js';
import { type ConversationChannel, conversationChannels, conversationPlatforms, deliveryStates } from '../../domain/conversations.js';
import { codes, integer, orNull, page } from '../common/text.js';
import { dateTime, text } from '../../domain/fields.js';
import { type ContactCaseState } from '../../domain/contact-case.js';
import { actorViewSchema, conversationViewSchema } from '../contacts/contacts.views.js';

/** Every platform a conversation channel's messages come from (the channel catalogue's). */
const platforms = [...new Set(conversationChannels.flatMap(conversationPlatforms))] as [string, ...string[]];

/** A message from the public as a platform connector hands it over. */
export class InboundMessageDto extends createZodDto(
  z
    .strictObject({
      platform: z.enum(platforms).meta({ description: "The platform: a social network for social-media, else the channel's own (`webchat`, `sms`, `email`)" }),
      conversationId: text(1, 200).meta({ description: "The platform's id for the conversation (where replies go)" }),
      messageId: text(1, 200).meta({ description: "The platform's id for the message: the same id again changes nothing" }),
      handle: text(1, 200).meta({ description: "The sender's handle, number, address or webchat name" }),
      text: text(1, 10_000),
      sentAt: dateTime().meta({ description: 'When the platform says it was sent' }),
    }),
) {}

const receivedMessageViewFields = z.object({
  reference: z.string().meta({ example: 'XP-20261123-000042' }),
  messageId: z.string().meta({ description: "The message's id on the case" }),
  caseOpened: z.boolean().meta({ description: 'This message opened the case' }),
  replayed: z.boolean().meta({ description: 'The message had been handed over before: nothing changed' }),
});
export const receivedMessageViewSchema = receivedMessageViewFields.meta({ id: 'ReceivedMessageView' });
export class ReceivedMessageView extends createZodDto(receivedMessageViewFields) {}

export class ReplyDto extends createZodDto(z.strictObject({ text: text(1, 5000) })) {}

/**
 * The answer to a reply: the reply and its conversation, never the case record (the hub's users
 * may not read case records, and a reply needs nothing more).
 */
const replyViewFields = z.object({
  reference: z.string().meta({ example: 'XP-20261123-000042' }),
  messageId: z.string().meta({ description: "The reply's id on the case; its delivery shows on the case's messages" }),
  deliveryState: z.enum(deliveryStates),
  conversation: conversationViewSchema,
});
export const replyViewSchema = replyViewFields.meta({ id: 'ReplyView' });
export class ReplyView extends createZodDto(replyViewFields) {}

/** A reply's answer from the case's state after it (a reply is only taken on a conversation). */
export function replyView(messageId: string, state: ContactCaseState): ReplyView {
  if (!state.conversation) throw new Error(`Case ${state.reference} has no conversation, yet a reply was taken on it`);
  return { reference: state.reference, messageId, deliveryState: 'pending', conversation: { ...state.conversation } };
}

export class InboxQueryDto extends createZodDto(
  z.strictObject({
    channel: z.enum(conversationChannels as [ConversationChannel, ...ConversationChannel[]]).optional().meta({ default: 'social-media' }),
    ...page(50),
  }),
) {}

const firstResponseViewFields = z.object({
  state: z.string(),
  dueAt: z.string().meta({ format: 'date-time' }),
});
export const firstResponseViewSchema = firstResponseViewFields.meta({ id: 'FirstResponseView' });
export class FirstResponseView extends createZodDto(firstResponseViewFields) {}

const inboxItemViewFields = z.object({
  reference: z.string(),
  channel: codes(conversationChannels),
  platform: z.string(),
  handle: orNull(z.string()),
  waitingSince: z.string().meta({ format: 'date-time', description: 'The first message since the last reply' }),
  waitedSeconds: integer(),
  unanswered: integer().meta({ description: 'Messages since the last reply' }),
  lastMessage: orNull(z.string()).meta({ description: 'The latest message from the public' }),
  firstResponse: firstResponseViewSchema.nullable().meta({ description: "The first-response clock, where the policy runs one for the channel" }),
});
export const inboxItemViewSchema = inboxItemViewFields.meta({ id: 'InboxItemView' });
export class InboxItemView extends createZodDto(inboxItemViewFields) {}

const inboxViewFields = z.object({
  total: integer(),
  limit: integer(),
  offset: integer(),
  items: z.array(inboxItemViewSchema),
});
export const inboxViewSchema = inboxViewFields.meta({ id: 'InboxView' });
export class InboxView extends createZodDto(inboxViewFields) {}

export class PostDto extends createZodDto(z.strictObject({ platform: z.enum(SocialMediaPlatform), text: text(1, 5000) })) {}

const postViewFields = z.object({
  id: z.string(),
  platform: codes(SocialMediaPlatform),
  text: z.string(),
  by: actorViewSchema,
  createdAt: z.string().meta({ format: 'date-time' }),
  deliveryState: z.enum(deliveryStates),
  deliveryAttempts: integer(),
  deliveredAt: orNull(z.string()).meta({ format: 'date-time' }),
  platformMessageId: orNull(z.string()),
  lastError: orNull(z.string()),
});
export const postViewSchema = postViewFields.meta({ id: 'PostView' });
export class PostView extends createZodDto(postViewFields) {}

export class PostsQueryDto extends createZodDto(z.strictObject({ ...page(50) })) {}

const postPageViewFields = z.object({
  limit: integer(),
  offset: integer(),
  items: z.array(postViewSchema),
});
export const postPageViewSchema = postPageViewFields.meta({ id: 'PostPageView' });
export class PostPageView extends createZodDto(postPageViewFields) {}
