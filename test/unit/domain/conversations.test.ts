import { describe, expect, it } from '@jest/globals';
import { Channel } from '../../../src/domain/channels.js';
import { applyCommand, type CaseCommand, type ContactCaseState, initialCaseState, rejectionOf } from '../../../src/domain/contact-case.js';
import { inboundMessageProblems, senderDetails } from '../../../src/domain/conversations.js';
import { type ContactPolicy } from '../../../src/domain/policy.js';
import { screenContact } from '../../../src/domain/risk-screening.js';
import { parsePolicy } from '../../../src/modules/policy/policy.loader.js';
import { defaultPolicy } from '../../support/policies.js';

const policy = defaultPolicy();
const connector = { subject: 'connector-x', role: 'channel-connector' };
const handler = { subject: 'pc-1', role: 'contact-handler' };

function conversationCase(channel: Channel, platform: string | null = channel === Channel.SocialMedia ? 'x' : 'webchat'): ContactCaseState {
  return initialCaseState({
    reference: 'XP-20261130-000001',
    channel,
    receivedAt: '2026-11-30T09:00:00.000Z',
    policyVersion: policy.version,
    team: 'contact-centre',
    assignee: connector.subject,
    area: 'urban',
    flags: [],
    screening: screenContact({ channel, flags: [], narrative: 'hello' }, policy),
    conversationPlatform: platform ?? undefined,
  });
}

const message = (id: string, sentAt: string): CaseCommand => ({ type: 'receive-message', message: { platform: 'x', externalId: id, handle: '@someone', text: 'words', sentAt } });

function apply(state: ContactCaseState, command: CaseCommand, at: string, actor = handler, rules: ContactPolicy = policy) {
  const rejection = rejectionOf(state, command, actor);
  if (rejection) throw new Error(rejection.message);
  return applyCommand(state, command, actor, at, rules);
}

describe('conversations on a case', () => {
  it('starts the first-response clock from when the first message was sent, and the first reply meets it', () => {
    const opened = conversationCase(Channel.SocialMedia);
    const first = apply(opened, message('m1', '2026-11-30T09:00:00.000Z'), '2026-11-30T09:02:00.000Z', connector);
    expect(first.entries.map((entry) => entry.type)).toEqual(['message-received', 'clock-armed']);
    expect(first.entries[0].details).toEqual({ platform: 'x', messages: 1 });
    expect(first.state.conversation).toEqual({ platform: 'x', messagesIn: 1, messagesOut: 0, awaitingReplySince: '2026-11-30T09:00:00.000Z' });
    expect(first.state.clocks).toEqual([expect.objectContaining({ kind: 'first-response', startedAt: '2026-11-30T09:00:00.000Z', dueAt: '2026-11-30T10:00:00.000Z', state: 'running' })]);

    // A second message before any reply neither moves the wait nor arms another clock.
    const second = apply(first.state, message('m2', '2026-11-30T09:10:00.000Z'), '2026-11-30T09:10:01.000Z', connector);
    expect(second.state.clocks).toHaveLength(1);
    expect(second.state.conversation?.awaitingReplySince).toBe('2026-11-30T09:00:00.000Z');

    const replied = apply(second.state, { type: 'send-message', text: 'We are on it' }, '2026-11-30T09:20:00.000Z');
    expect(replied.entries.map((entry) => entry.type)).toEqual(['message-sent', 'clock-met']);
    expect(replied.entries[1].details).toMatchObject({ clock: 'first-response-1', late: false });
    expect(replied.state.conversation).toEqual({ platform: 'x', messagesIn: 2, messagesOut: 1, awaitingReplySince: null });

    // After a reply, a new message waits again, without a new first-response clock.
    const later = apply(replied.state, message('m3', '2026-11-30T11:00:00.000Z'), '2026-11-30T11:00:00.000Z', connector);
    expect(later.state.conversation?.awaitingReplySince).toBe('2026-11-30T11:00:00.000Z');
    expect(later.state.clocks.filter((clock) => clock.kind === 'first-response')).toHaveLength(1);
  });

  it('counts a reply after the due time as late', () => {
    const first = apply(conversationCase(Channel.SocialMedia), message('m1', '2026-11-30T09:00:00.000Z'), '2026-11-30T09:00:00.000Z', connector);
    const replied = apply(first.state, { type: 'send-message', text: 'Sorry for the wait' }, '2026-11-30T10:30:00.000Z');
    expect(replied.entries.find((entry) => entry.type === 'clock-met')?.details.late).toBe(true);
  });

  it('times only the channels the policy names, and a policy without the clock times none', () => {
    const chat = apply(conversationCase(Channel.Webchat), message('c1', '2026-11-30T09:00:00.000Z'), '2026-11-30T09:00:00.000Z', connector);
    expect(chat.state.clocks).toEqual([]);
    const { 'first-response': _omitted, ...clocks } = policy.clocks;
    const older: ContactPolicy = { ...policy, version: 'older', clocks, firstResponseChannels: undefined };
    const dm = apply(conversationCase(Channel.SocialMedia), message('m1', '2026-11-30T09:00:00.000Z'), '2026-11-30T09:00:00.000Z', connector, older);
    expect(dm.state.clocks).toEqual([]);
  });

  it('takes a sent time in the future as now', () => {
    const first = apply(conversationCase(Channel.SocialMedia), message('m1', '2026-11-30T09:03:00.000Z'), '2026-11-30T09:00:00.000Z', connector);
    expect(first.state.conversation?.awaitingReplySince).toBe('2026-11-30T09:00:00.000Z');
  });

  it('refuses messages and replies on a case that is not a conversation', () => {
    const form = conversationCase(Channel.WebForm, null);
    expect(form.conversation).toBeNull();
    expect(rejectionOf(form, { type: 'send-message', text: 'hi' }, handler)).toMatchObject({ kind: 'invalid', fields: [{ field: 'text' }] });
    expect(rejectionOf(form, message('m1', '2026-11-30T09:00:00.000Z'), connector)).toMatchObject({ kind: 'invalid' });
  });

  it('keeps the words out of the timeline', () => {
    const first = apply(conversationCase(Channel.SocialMedia), message('m1', '2026-11-30T09:00:00.000Z'), '2026-11-30T09:00:00.000Z', connector);
    const replied = apply(first.state, { type: 'send-message', text: 'a reply with words' }, '2026-11-30T09:05:00.000Z');
    expect(JSON.stringify([...first.entries, ...replied.entries])).not.toMatch(/words|@someone/);
  });

  it('takes platforms by channel, and knows the sender as a caller the same way as any contact', () => {
    expect(inboundMessageProblems(Channel.Webchat, { platform: 'x' })).toEqual([{ field: 'platform', message: 'webchat messages come from webchat' }]);
    expect(inboundMessageProblems(Channel.SocialMedia, { platform: 'instagram' })).toEqual([]);
    expect(senderDetails(Channel.SocialMedia, { platform: 'x', handle: '@a' })).toEqual({ caller: {}, channelDetails: { platform: 'x', handle: '@a' } });
    expect(senderDetails(Channel.Sms, { platform: 'sms', handle: '07700 900123' }).caller).toEqual({ phone: '07700 900123' });
    expect(senderDetails(Channel.Email, { platform: 'email', handle: 'a@b.org' }).caller).toEqual({ email: 'a@b.org' });
  });

  it('refuses a policy that times first responses without the clock', () => {
    const { 'first-response': _omitted, ...clocks } = policy.clocks;
    expect(() => parsePolicy({ ...policy, clocks })).toThrow(/clocks\.first-response/);
    expect(parsePolicy({ ...policy, clocks, firstResponseChannels: [] }).policy.clocks['first-response']).toBeUndefined();
  });
});
