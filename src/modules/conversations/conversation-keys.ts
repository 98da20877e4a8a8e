import { createHash } from 'node:crypto';

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');

/** How a platform's conversation is found: its channel, platform and the platform's id, hashed. */
export const conversationKey = (channel: string, platform: string, externalId: string) => hash('conversation', channel, platform, externalId);

/** How an inbound message is known, so that one delivered twice is kept once. */
export const inboundMessageKey = (channel: string, platform: string, externalId: string) => hash('message', channel, platform, externalId);

/** The Idempotency-Key a conversation's case is opened under: concurrent first messages share one case. */
export const conversationIntakeKey = (key: string, generation: number) => `conversation:${key}:${generation}`;
