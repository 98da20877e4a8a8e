import { type Channel, channelCatalogue, catalogueChannels, type FieldProblem, type SocialMediaPlatform } from './channels.js';

/**
 * Contacts that are conversations rather than forms: webchat, social media direct messages, and
 * SMS and e-mail exchanges. Every message, in or out, is kept on the case as its thread; the case
 * keeps only counts and times, never the words (they are personal data and stay in the case store).
 */

/** A channel whose contacts can be conversations, carried by a platform connector (its catalogue record says so). */
export type ConversationChannel = Channel;

/** The channels whose contacts can be conversations, in the catalogue's order. */
export const conversationChannelsOf = (): ConversationChannel[] => catalogueChannels().filter((channel) => channelCatalogue[channel].conversation !== undefined);

export const conversationChannels: readonly ConversationChannel[] = conversationChannelsOf();

export const isConversationChannel = (channel: string): channel is ConversationChannel => channelCatalogue[channel as Channel]?.conversation !== undefined;

/** The platforms a channel's messages come from: a social network, or the channel's own gateway. */
export function conversationPlatforms(channel: ConversationChannel): string[] {
  return [...(channelCatalogue[channel].conversation?.platforms ?? [])];
}

/** What a message's delivery has come to: inbound messages are `received`; replies and posts go `pending` to `delivered`. */
export const deliveryStates = ['received', 'pending', 'retrying', 'delivered', 'failed', 'not-configured'] as const;
export type DeliveryState = (typeof deliveryStates)[number];

/** A message from the public, as a connector hands it over. */
export interface InboundMessage {
  platform: string;
  /** The platform's id for the message: the same id delivered twice is the same message. */
  externalId: string;
  /** The sender's account on the platform (a handle, a number, an address, a webchat name). */
  handle: string;
  text: string;
  /** When the platform says it was sent (never later than it reached us). */
  sentAt: string;
}

/** The conversation on a case: counts and times only. */
export interface ConversationState {
  platform: string;
  messagesIn: number;
  messagesOut: number;
  /** The first message since the last reply, while one is waiting; null when none waits. */
  awaitingReplySince: string | null;
}

export const openConversation = (platform: string): ConversationState => ({ platform, messagesIn: 0, messagesOut: 0, awaitingReplySince: null });

/** Why a message for `channel` cannot be taken as it is: the platform must be one of the channel's. */
export function inboundMessageProblems(channel: ConversationChannel, message: Pick<InboundMessage, 'platform'>): FieldProblem[] {
  const platforms = conversationPlatforms(channel);
  return platforms.includes(message.platform) ? [] : [{ field: 'platform', message: `${channel} messages come from ${platforms.join(', ')}` }];
}

/**
 * How the sender is known to the case: the caller's details a contact on `channel` would have, so
 * that a repeat caller is found the same way whichever route the contact took.
 */
export function senderDetails(channel: ConversationChannel, message: Pick<InboundMessage, 'platform' | 'handle'>) {
  const sender = channelCatalogue[channel].conversation?.sender;
  switch (sender) {
    case 'platform-handle':
      return { caller: {}, channelDetails: { platform: message.platform as SocialMediaPlatform, handle: message.handle } };
    case 'phone':
      return { caller: { phone: message.handle }, channelDetails: undefined };
    case 'email':
      return { caller: { email: message.handle }, channelDetails: undefined };
    case 'name':
      return { caller: { name: message.handle }, channelDetails: undefined };
    case undefined:
      throw new Error(`${channel} contacts are not conversations`);
  }
}
