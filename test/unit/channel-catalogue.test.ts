import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type ChannelRecord, channelCatalogue } from '../../src/domain/channels.js';

/**
 * A channel is one record in the catalogue. This test adds one (in this test only: jest gives each
 * test file its own modules) before anything that treats channels differently is loaded, and finds
 * it everywhere with nothing else changed: the API's request schema and its document, the
 * management information's families, the conversation hub and the policy's schema.
 */
const videoCall = 'video-call';
const record: ChannelRecord = { family: 'digital', details: { required: ['origin'], optional: [] }, conversation: { platforms: ['video'], sender: 'name' } };
(channelCatalogue as Record<string, ChannelRecord>)[videoCall] = record;

const { createContactSchema } = await import('../../src/api/contacts/contacts.dto.js');
const { InboundMessageDto } = await import('../../src/api/conversations/conversations.dto.js');
const { measuresFrom } = await import('../../src/domain/mi.js');
const { conversationChannels, senderDetails } = await import('../../src/domain/conversations.js');
const { contactPolicySchema } = await import('../../src/modules/policy/policy.schema.js');

const contact = { caller: { name: 'A. Caller' }, narrative: 'Calling about a theft' };

describe('the channel catalogue', () => {
  it("gives the API's request schema the new channel, with the details its record asks for", () => {
    expect(createContactSchema.safeParse({ ...contact, channel: videoCall, channelDetails: { origin: 'Northfield station' } }).success).toBe(true);
    const missing = createContactSchema.safeParse({ ...contact, channel: videoCall });
    expect(missing.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['channelDetails']);
    const foreign = createContactSchema.safeParse({ ...contact, channel: videoCall, channelDetails: { origin: 'Northfield', title: 'Theft' } });
    expect(foreign.success).toBe(false);

    const document = JSON.stringify(z.toJSONSchema(createContactSchema, { io: 'input', target: 'openapi-3.0' }));
    const branch = (JSON.parse(document) as { oneOf: Array<{ properties: { channel: { enum: string[] } }; required: string[] }> }).oneOf.find((option) =>
      option.properties.channel.enum.includes(videoCall),
    );
    expect(branch?.required).toContain('channelDetails');
  });

  it('counts the new channel in its family in the management information', () => {
    const measures = measuresFrom([
      { measure: 'contacts', dimension: videoCall, count: 3 } as never,
      { measure: 'contacts', dimension: 'emergency-call', count: 2 } as never,
      { measure: 'contacts', dimension: 'letter', count: 1 } as never,
    ]);
    expect(measures.demand).toMatchObject({ contacts: 6, phone: 2, digital: 3, other: 1 });
  });

  it('takes its messages through the conversation hub, from its own platforms', () => {
    expect(conversationChannels).toContain(videoCall);
    expect(senderDetails(videoCall as never, { platform: 'video', handle: 'Sam' })).toEqual({ caller: { name: 'Sam' }, channelDetails: undefined });
    expect(InboundMessageDto.schema.safeParse({ platform: 'video', conversationId: 'c1', messageId: 'm1', handle: 'Sam', text: 'Hello', sentAt: '2026-12-05T10:00:00Z' }).success).toBe(true);
  });

  it("lets the policy name it among the digital-action and first-response channels", () => {
    const policy = JSON.parse(readFileSync(new URL('../../policy/force-default.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const withChannel = { ...policy, digitalActionChannels: [videoCall], firstResponseChannels: [videoCall] };
    expect(contactPolicySchema.safeParse(withChannel).error?.issues ?? []).toEqual([]);
    const unknown = contactPolicySchema.safeParse({ ...policy, digitalActionChannels: ['carrier-pigeon'] });
    expect(unknown.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['digitalActionChannels.0']);
  });
});
