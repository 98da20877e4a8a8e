import { alertRole } from '../clocks.js';
import { alwaysAllowed, type CaseCommandDefinition } from './command.js';

/** The same caller has made another contact (`by`) while this case is open: a supervisor re-screens it. */
export interface CallerRecontactedCommand {
  type: 'caller-recontacted';
  by: string;
}

/** The same caller has made another contact while this case is open: a supervisor re-screens it. */
export const callerRecontacted: CaseCommandDefinition<CallerRecontactedCommand> = {
  type: 'caller-recontacted',
  update: 'callerRecontacted',
  // Raised by an intake that finds the caller's earlier case in triage: no request here.
  reject: alwaysAllowed,
  apply: (_next, command, { state }) => [{ type: 'caller-recontacted', details: { by: command.by, stage: state.stage } }],
  clocks(plan, _command, { state, nowMs, policy }) {
    // Still untriaged and the caller has come back: the supervisor's role is told, to re-screen it.
    if (state.stage === 'triage') plan.then(alertRole(plan.book, policy, { role: 'team-leader', reason: 'manual:caller-recontacted', raisedFor: nowMs }));
  },
};
