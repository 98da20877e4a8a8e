import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsISO8601, Matches, Max, Min } from 'class-validator';
import { SocialMediaPlatform } from '../../domain/channels.js';
import { conversationChannels, type DeliveryState, deliveryStates } from '../../domain/conversations.js';
import { DATE_TIME, IsText, Optional } from '../common/text.js';
import { type ContactCaseState } from '../../domain/contact-case.js';
import { ActorView, ConversationView } from '../contacts/contacts.views.js';

const platforms = ['webchat', 'sms', 'email', ...Object.values(SocialMediaPlatform)];
const dateTime = { type: 'string', format: 'date-time' } as const;

/** A message from the public as a platform connector hands it over. */
export class InboundMessageDto {
  @ApiProperty({ enum: platforms, description: "The platform: a social network for social-media, else the channel's own (`webchat`, `sms`, `email`)" })
  @IsIn(platforms)
  platform!: string;
  @ApiProperty({ minLength: 1, maxLength: 200, description: "The platform's id for the conversation (where replies go)" }) @IsText(1, 200) conversationId!: string;
  @ApiProperty({ minLength: 1, maxLength: 200, description: "The platform's id for the message: the same id again changes nothing" }) @IsText(1, 200) messageId!: string;
  @ApiProperty({ minLength: 1, maxLength: 200, description: "The sender's handle, number, address or webchat name" }) @IsText(1, 200) handle!: string;
  @ApiProperty({ minLength: 1, maxLength: 10000 }) @IsText(1, 10000) text!: string;
  @ApiProperty({ ...dateTime, description: 'When the platform says it was sent' }) @Matches(DATE_TIME, { message: 'sentAt must be an RFC 3339 date-time' }) @IsISO8601({ strict: true }) sentAt!: string;
}

export class ReceivedMessageView {
  @ApiProperty({ example: 'XP-20261123-000042' }) reference!: string;
  @ApiProperty({ description: "The message's id on the case" }) messageId!: string;
  @ApiProperty({ description: 'This message opened the case' }) caseOpened!: boolean;
  @ApiProperty({ description: 'The message had been handed over before: nothing changed' }) replayed!: boolean;
}

export class ReplyDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsText(1, 5000) text!: string;
}

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

export class InboxQueryDto {
  @ApiPropertyOptional({ enum: conversationChannels, default: 'social-media' }) @Optional() @IsIn(conversationChannels) channel?: (typeof conversationChannels)[number];
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0, maximum: 1000000 }) @Optional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class FirstResponseView {
  @ApiProperty() state!: string;
  @ApiProperty(dateTime) dueAt!: string;
}

export class InboxItemView {
  @ApiProperty() reference!: string;
  @ApiProperty({ enum: conversationChannels }) channel!: string;
  @ApiProperty() platform!: string;
  @ApiProperty({ type: 'string', nullable: true }) handle!: string | null;
  @ApiProperty({ ...dateTime, description: 'The first message since the last reply' }) waitingSince!: string;
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

export class PostDto {
  @ApiProperty({ enum: SocialMediaPlatform }) @IsEnum(SocialMediaPlatform) platform!: SocialMediaPlatform;
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsText(1, 5000) text!: string;
}

export class PostView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SocialMediaPlatform }) platform!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: ActorView }) by!: ActorView;
  @ApiProperty(dateTime) createdAt!: string;
  @ApiProperty({ enum: deliveryStates }) deliveryState!: DeliveryState;
  @ApiProperty({ type: 'integer' }) deliveryAttempts!: number;
  @ApiProperty({ ...dateTime, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) platformMessageId!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
}

export class PostsQueryDto {
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @Optional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0, maximum: 1000000 }) @Optional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000) offset?: number;
}

export class PostPageView {
  @ApiProperty({ type: 'integer' }) limit!: number;
  @ApiProperty({ type: 'integer' }) offset!: number;
  @ApiProperty({ type: [PostView] }) items!: PostView[];
}
