import { ApiProperty } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { SocialMediaPlatform } from '../../domain/channels.js';
import { type ConversationChannel, conversationChannels, conversationPlatforms, type DeliveryState, deliveryStates } from '../../domain/conversations.js';
import { dateTime, page, text } from '../common/text.js';
import { type ContactCaseState } from '../../domain/contact-case.js';
import { ActorView, ConversationView } from '../contacts/contacts.views.js';

/** Every platform a conversation channel's messages come from (the channel catalogue's). */
const platforms = [...new Set(conversationChannels.flatMap(conversationPlatforms))] as [string, ...string[]];
const dateTimeView = { type: 'string', format: 'date-time' } as const;

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

export class ReceivedMessageView {
  @ApiProperty({ example: 'XP-20261123-000042' }) reference!: string;
  @ApiProperty({ description: "The message's id on the case" }) messageId!: string;
  @ApiProperty({ description: 'This message opened the case' }) caseOpened!: boolean;
  @ApiProperty({ description: 'The message had been handed over before: nothing changed' }) replayed!: boolean;
}

export class ReplyDto extends createZodDto(z.strictObject({ text: text(1, 5000) })) {}

/**
 * The answer to a reply: the reply and its conversation, never the case record (the hub's users
 * may not read case records, and a reply needs nothing more).
 */
export class ReplyView {
  @ApiProperty({ example: 'XP-20261123-000042' }) reference!: string;
  @ApiProperty({ description: "The reply's id on the case; its delivery shows on the case's messages" }) messageId!: string;
  @ApiProperty({ enum: deliveryStates }) deliveryState!: DeliveryState;
  @ApiProperty({ type: ConversationView }) conversation!: ConversationView;
}

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

export class FirstResponseView {
  @ApiProperty() state!: string;
  @ApiProperty(dateTimeView) dueAt!: string;
}

export class InboxItemView {
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: conversationChannels }) channel!: string;
  @ApiProperty() platform!: string;
  @ApiProperty({ type: 'string', nullable: true }) handle!: string | null;
  @ApiProperty({ ...dateTimeView, description: 'The first message since the last reply' }) waitingSince!: string;
  @ApiProperty({ type: 'integer' }) waitedSeconds!: number;
  @ApiProperty({ type: 'integer', description: 'Messages since the last reply' }) unanswered!: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'The latest message from the public' }) lastMessage!: string | null;
  @ApiProperty({ type: FirstResponseView, nullable: true, description: "The first-response clock, where the policy runs one for the channel" }) firstResponse!: FirstResponseView | null;
}

export class InboxView {
  @ApiProperty({ type: 'integer' }) total!: number;
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) offset!: number;
  @ApiProperty({ type: [InboxItemView] }) items!: InboxItemView[];
}

export class PostDto extends createZodDto(z.strictObject({ platform: z.enum(SocialMediaPlatform), text: text(1, 5000) })) {}

export class PostView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SocialMediaPlatform }) platform!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTimeView) createdAt!: string;
  @ApiProperty({ enum: deliveryStates }) deliveryState!: DeliveryState;
  @ApiProperty({ type: 'integer' }) deliveryAttempts!: number;
  @ApiProperty({ ...dateTimeView, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) platformMessageId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
}

export class PostsQueryDto extends createZodDto(z.strictObject({ ...page(50) })) {}

export class PostPageView {
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) offset!: number;
  @ApiProperty({ type: [PostView] }) items!: PostView[];
}
