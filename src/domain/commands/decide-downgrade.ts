import { type CaseCommandDefinition, commandRequest, invalid, stageConflict } from './command.js';
import { Permission } from '../permissions.js';
import { MIN_RATIONALE_LENGTH } from '../thrive.js';

export interface DecideDowngradeCommand {
  type: 'decide-downgrade';
  approve: boolean;
  rationale: string;
}

/** A supervisor other than the proposer approves or refuses a pending downgrade. */
export const decideDowngrade: CaseCommandDefinition<DecideDowngradeCommand> = {
  type: 'decide-downgrade',
  update: 'decideDowngrade',
  request: commandRequest<DecideDowngradeCommand>()({
    operation: 'decideDowngrade',
    bodyName: 'DowngradeDecisionDto',
    resource: 'downgrade-approvals',
    permission: Permission.ContactApproveDowngrade,
    summary: 'Approve or refuse the pending downgrade (a supervisor other than its proposer)',
    body: ({ z, text }) => z.strictObject({
      approve: z.boolean().meta({ description: 'true approves the pending downgrade, false refuses it' }),
      rationale: text(MIN_RATIONALE_LENGTH, 2000),
    }),
    given: (body) => ({ command: { type: 'decide-downgrade', approve: body.approve, rationale: body.rationale } }),
  }),
  reject(state, _command, actor) {
    if (!state.pendingDowngrade) return stageConflict(state, 'no downgrade is waiting for approval');
    if (state.pendingDowngrade.requestedBy.subject === actor.subject) {
      return invalid('A downgrade needs the approval of a supervisor other than the person who proposed it', [{ field: 'approve', message: 'self-approval' }]);
    }
    return null;
  },
  apply(next, command, { state }) {
    const pending = state.pendingDowngrade!;
    next.pendingDowngrade = null;
    if (command.approve) next.grade = pending.toGrade;
    const decided = {
      fromGrade: pending.fromGrade,
      toGrade: pending.toGrade,
      requestedBy: pending.requestedBy.subject,
      requestedByRole: pending.requestedBy.role,
      requestedAt: pending.requestedAt,
    };
    return [command.approve ? { type: 'downgrade-approved', details: decided } : { type: 'downgrade-refused', details: decided }];
  },
};
