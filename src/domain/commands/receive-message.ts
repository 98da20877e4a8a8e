import { type InboundMessage } from '../conversations.js';
import { alertRole, armClock, hasClockRule, type TimelineEntry } from '../clocks.js';
import { type ContactCaseState } from '../contact-case.js';
import { type ContactPolicy } from '../policy.js';
import { type RiskScreening, screenContact } from '../risk-screening.js';
import { type CaseCommandDefinition } from './command.js';
import { onConversation } from './conversation.js';

/**
 * What screening a message adds to the case's: the reasons it finds that the case did not have,
 * and the screening with them (a risk marker, once set, stays). Null when it adds nothing.
 */
function raisedScreening(state: ContactCaseState, text: string, policy: ContactPolicy): { screening: RiskScreening; reasons: string[] } | null {
  const found = screenContact({ channel: state.channel, flags: [], narrative: text }, policy);
  const reasons = found.reasons.filter((reason) => !state.screening.reasons.includes(reason));
  if (reasons.length === 0) return null;
  return {
    reasons,
    screening: {
      riskMarker: state.screening.riskMarker ?? found.riskMarker,
      domesticAbuse: state.screening.domesticAbuse || found.domesticAbuse,
      sexualOffence: state.screening.sexualOffence || found.sexualOffence,
      vulnerable: state.screening.vulnerable || found.vulnerable,
      reasons: [...state.screening.reasons, ...reasons],
    },
  };
}

/** A message from the public joins the case's conversation (its words go to the case store only). */
export interface ReceiveMessageCommand {
  type: 'receive-message';
  message: InboundMessage;
}

/**
 * A message from the public joins the case's conversation (its words go to the case store only):
 * screened as the first was, it may raise the case's risk; the first one starts the first-response
 * clock where the policy times one for the channel.
 */
export const receiveMessage: CaseCommandDefinition<ReceiveMessageCommand> = {
  type: 'receive-message',
  update: 'receiveMessage',
  // Handed over by the platform connectors (the channels' webhook), never by a handler: no request here.
  reject: onConversation('conversationId', 'add to'),
  apply(next, command, { state, now, policy }) {
    const conversation = next.conversation!;
    conversation.messagesIn += 1;
    // The wait is the public's: from when the message was sent, if it reached us later.
    conversation.awaitingReplySince ??= Date.parse(command.message.sentAt) < Date.parse(now) ? command.message.sentAt : now;
    const entries: TimelineEntry[] = [{ type: 'message-received', details: { platform: command.message.platform, messages: conversation.messagesIn } }];
    // Every message is screened as the first was: a risk it shows is added to the case's.
    const raised = raisedScreening(state, command.message.text, policy);
    if (raised) {
      next.screening = raised.screening;
      next.safeguardingRequired = next.safeguardingRequired || raised.screening.domesticAbuse || raised.screening.sexualOffence;
      entries.push({ type: 'screening-raised', details: { reasons: raised.reasons.join(','), riskMarker: raised.screening.riskMarker } });
    }
    return entries;
  },
  clocks(plan, _command, { state, next, nowMs, policy }) {
    // A later message showed a risk the case had not: a supervisor re-screens it while it is untriaged.
    if (state.stage === 'triage' && next.screening.reasons.length > state.screening.reasons.length) {
      plan.then(alertRole(plan.book, policy, { role: 'team-leader', reason: 'manual:risk-in-message', raisedFor: nowMs }));
    }
    // The first message waits for a first response, where the policy times one for the channel.
    const timed = (policy.firstResponseChannels ?? []).includes(next.channel) && hasClockRule(policy, 'first-response');
    if (timed && state.conversation?.messagesOut === 0 && !plan.book.clocks.some((clock) => clock.kind === 'first-response')) {
      plan.then(armClock(plan.book, policy, 'first-response', Date.parse(next.conversation!.awaitingReplySince!)));
    }
  },
};
