import { type RegradeReason } from '../alerts.js';
import { type Grade } from '../thrive.js';
import { type CaseCommandDefinition, invalid, stageConflict } from './command.js';

export interface RegradeCommand {
  type: 'regrade';
  grade: Grade;
  reason: RegradeReason;
}

/** A supervisor's regrade: needs no approval, and settles any downgrade still waiting for one (the grade's clocks follow). */
export const regrade: CaseCommandDefinition<RegradeCommand> = {
  type: 'regrade',
  update: 'regradeCase',
  reject(state, command) {
    if (state.grade === null) return stageConflict(state, 'assess and grade the case before regrading it');
    if (command.grade === state.grade && !state.pendingDowngrade) return invalid(`The case is already grade ${command.grade}`, [{ field: 'grade', message: 'same as the current grade' }]);
    return null;
  },
  apply(next, command, { state }) {
    next.grade = command.grade;
    next.pendingDowngrade = null;
    return [{ type: 'regraded', details: { fromGrade: state.grade, toGrade: command.grade, reason: command.reason } }];
  },
};
