import { escalate as escalateBook, type EscalationReason } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition } from './command.js';

export interface EscalateCommand {
  type: 'escalate';
  reason: EscalationReason;
}

/** A person escalates the case one level up the policy's chain (the clock book's entry records it). */
export const escalate: CaseCommandDefinition<EscalateCommand> = {
  type: 'escalate',
  update: 'escalateCase',
  reject: alwaysAllowed,
  apply: () => [],
  clocks(plan, command, { nowMs, policy }) {
    plan.then(escalateBook(plan.book, policy, { reason: `manual:${command.reason}`, raisedFor: nowMs }));
  },
};
