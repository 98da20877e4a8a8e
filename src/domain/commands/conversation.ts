import { type ContactCaseState } from '../contact-case.js';
import { invalid } from './command.js';

/** Messages go only on a case that came as a conversation. */
export const onConversation =
  (field: 'text' | 'conversationId', doing: string) =>
  (state: ContactCaseState) =>
    state.conversation ? null : invalid(`Case ${state.reference} came by ${state.channel}, not as a conversation: it has no thread to ${doing}`, [{ field, message: 'the case has no conversation' }]);
