import { escalate as escalateBook, type EscalationReason, escalationReasons } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition, commandRequest } from './command.js';
import { Permission } from '../permissions.js';

export interface EscalateCommand {
  type: 'escalate';
  reason: EscalationReason;
}

/** A person escalates the case one level up the policy's chain (the clock book's entry records it). */
export const escalate: CaseCommandDefinition<EscalateCommand> = {
  type: 'escalate',
  update: 'escalateCase',
  request: commandRequest<EscalateCommand>()({
    operation: 'escalate',
    bodyName: 'EscalationDto',
    resource: 'escalations',
    permission: Permission.ContactEscalate,
    summary: 'Escalate the case by hand: the level rises and the next role in the chain is notified',
    body: ({ z }) => z.strictObject({ reason: z.enum(escalationReasons) }),
    given: (body) => ({ command: { type: 'escalate', reason: body.reason } }),
  }),
  reject: alwaysAllowed,
  apply: () => [],
  clocks(plan, command, { nowMs, policy }) {
    plan.then(escalateBook(plan.book, policy, { reason: `manual:${command.reason}`, raisedFor: nowMs }));
  },
};
