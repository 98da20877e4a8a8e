import { meetClocks } from '../clocks.js';
import { type CaseCommandDefinition } from './command.js';
import { onConversation } from './conversation.js';

/** A reply to the public on the case's conversation, delivered through the platform's adapter. */
export interface SendMessageCommand {
  type: 'send-message';
  text: string;
}

/** A reply to the public on the case's conversation, delivered through the platform's adapter: meets the first-response clock. */
export const sendMessage: CaseCommandDefinition<SendMessageCommand> = {
  type: 'send-message',
  update: 'sendMessage',
  // A reply has a route of its own (POST /contacts/{reference}/messages): it answers with the message's id.
  reject: onConversation('text', 'reply on'),
  apply(next) {
    const conversation = next.conversation!;
    conversation.messagesOut += 1;
    conversation.awaitingReplySince = null;
    return [{ type: 'message-sent', details: { platform: conversation.platform, messages: conversation.messagesOut } }];
  },
  clocks(plan, _command, { nowMs }) {
    plan.then(meetClocks(plan.book, 'first-response', nowMs));
  },
};
