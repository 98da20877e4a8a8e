import { type AssignmentReason } from '../alerts.js';
import { type CaseCommandDefinition, invalid } from './command.js';

export interface AssignCommand {
  type: 'assign';
  assignee: string;
  team?: string;
  reason: AssignmentReason;
}

/** The case goes to a person and team (a claim when handlers take it themselves). */
export const assign: CaseCommandDefinition<AssignCommand> = {
  type: 'assign',
  update: 'assignCase',
  reject(state, command) {
    if (command.assignee === state.assignee && (command.team ?? state.team) === state.team) {
      return invalid(`The case is already with ${command.assignee} in ${state.team}`, [{ field: 'assignee', message: 'already assigned there' }]);
    }
    return null;
  },
  apply(next, command, { state }) {
    next.assignee = command.assignee;
    next.team = command.team ?? state.team;
    return [{ type: command.reason === 'claim' ? 'claimed' : 'assigned', details: { from: state.assignee, to: next.assignee, fromTeam: state.team, team: next.team, reason: command.reason } }];
  },
};
