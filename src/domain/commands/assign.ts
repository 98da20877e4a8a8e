import { type AssignmentReason, assignmentReasons } from '../alerts.js';
import { type CaseCommandDefinition, commandRequest, conflict, invalid } from './command.js';
import { grantingRole, Permission } from '../permissions.js';

export interface AssignCommand {
  type: 'assign';
  assignee: string;
  team?: string;
  reason: AssignmentReason;
  /**
   * Only while the case is still with this subject (as the queue showed it): two people claiming
   * one case at once, the second is refused (409) naming who has it, rather than taking it over.
   * Commands sent before this field carry none, so their histories replay as they ran.
   */
  ifAssignee?: string;
}

/** The case goes to a person and team (a claim when handlers take it themselves). */
export const assign: CaseCommandDefinition<AssignCommand> = {
  type: 'assign',
  update: 'assignCase',
  request: commandRequest<AssignCommand>()({
    operation: 'assign',
    bodyName: 'AssignmentDto',
    resource: 'assignment',
    permission: Permission.ContactClaim,
    summary: 'Assign the case: a contact handler claims it for themself; a team leader or duty inspector assigns it to anyone, in any team',
    body: ({ z, SUBJECT, TEAM }) => z.strictObject({
      assignee: z
        .string()
        .regex(SUBJECT, { error: 'must be a staff subject: 1 to 128 letters, digits, dots, dashes, underscores or @' })
        .meta({ description: "The staff member's identity-provider subject; a contact handler may name only themself (a claim)", example: 'pc-3301' }),
      team: z
        .string()
        .regex(TEAM, { error: 'must be 1 to 64 lower-case letters, digits or dashes' })
        .optional()
        .meta({ description: "The team; the case's own team when left out", example: 'contact-centre' }),
      reason: z.enum(assignmentReasons),
      ifAssignee: z
        .string()
        .regex(SUBJECT, { error: 'must be a staff subject: 1 to 128 letters, digits, dots, dashes, underscores or @' })
        .optional()
        .meta({ description: 'Only while the case is still with this subject (as the queue showed it): otherwise 409, naming who has it now. Two people claiming one case at once: one gets it', example: 'web-form' }),
    }),
    explicitCreated: true,
    given: (body, giver) => {
      const supervisor = grantingRole(giver.roles, Permission.ContactSupervise);
      if (!supervisor && (body.assignee !== giver.subject || body.team !== undefined)) {
        return { forbidden: `Assigning a case to someone else, or to another team, needs ${Permission.ContactSupervise}: a contact handler may only claim it` };
      }
      const condition = body.ifAssignee === undefined ? {} : { ifAssignee: body.ifAssignee };
      return { command: { type: 'assign', assignee: body.assignee, team: body.team, reason: body.reason, ...condition }, actingAs: supervisor };
    },
  }),
  reject(state, command) {
    if (command.ifAssignee !== undefined && command.ifAssignee !== state.assignee) {
      return conflict(`Case ${state.reference} is now with ${state.assignee} (${state.team}), no longer with ${command.ifAssignee}`);
    }
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
