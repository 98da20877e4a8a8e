import { type RegradeReason, regradeReasons } from '../alerts.js';
import { type Grade } from '../thrive.js';
import { type CaseCommandDefinition, commandRequest, invalid, stageConflict } from './command.js';
import { Permission } from '../permissions.js';

export interface RegradeCommand {
  type: 'regrade';
  grade: Grade;
  reason: RegradeReason;
}

/** A supervisor's regrade: needs no approval, and settles any downgrade still waiting for one (the grade's clocks follow). */
export const regrade: CaseCommandDefinition<RegradeCommand> = {
  type: 'regrade',
  update: 'regradeCase',
  request: commandRequest<RegradeCommand>()({
    operation: 'regrade',
    bodyName: 'RegradeDto',
    resource: 'regrade',
    permission: Permission.ContactSupervise,
    summary: "A supervisor's regrade, with a reason code: no approval needed, recorded like every grade change, the graded clocks re-baselined",
    body: ({ z, grade }) => z.strictObject({ grade, reason: z.enum(regradeReasons) }),
    explicitCreated: true,
    given: (body) => ({ command: { type: 'regrade', grade: body.grade, reason: body.reason } }),
  }),
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
