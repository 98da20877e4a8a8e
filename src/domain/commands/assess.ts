import { assessmentProblems, factorLevels, isDowngrade, MIN_RATIONALE_LENGTH, needsSafeguarding, type ThriveAssessment, thriveFactors } from '../thrive.js';
import { type CaseCommandDefinition, commandRequest, invalid } from './command.js';
import { Permission } from '../permissions.js';

export interface AssessCommand {
  type: 'assess';
  assessment: ThriveAssessment;
}

/**
 * A THRIVE(S) assessment with its proposed grade. A downgrade waits for a supervisor's approval;
 * a first assessment meets the digital-action clocks (see `applyCommand`, which any first
 * assessment triggers).
 */
export const assess: CaseCommandDefinition<AssessCommand> = {
  type: 'assess',
  update: 'submitAssessment',
  request: commandRequest<AssessCommand>()({
    operation: 'assess',
    bodyName: 'AssessmentDto',
    resource: 'assessments',
    permission: Permission.ContactAssess,
    summary: 'Record a THRIVE(S) assessment and proposed grade (a downgrade waits for approval)',
    body: ({ z, text, grade }) => {
      const factor = z.strictObject({ level: z.enum(factorLevels), rationale: text(MIN_RATIONALE_LENGTH, 2000) }).meta({ id: 'FactorDto' });
      const factors = z.strictObject(Object.fromEntries(thriveFactors.map((name) => [name, factor])) as Record<(typeof thriveFactors)[number], typeof factor>).meta({ id: 'FactorsDto' });
      return z.strictObject({ factors, proposedGrade: grade });
    },
    given: (body) => ({ command: { type: 'assess', assessment: { factors: { ...body.factors }, proposedGrade: body.proposedGrade } } }),
  }),
  reject(_state, command) {
    const problems = assessmentProblems(command.assessment);
    return problems.length > 0 ? invalid(`The assessment is incomplete or inconsistent: ${problems.map((p) => p.message).join('; ')}`, problems) : null;
  },
  apply(next, command, { state, actor, now }) {
    const proposed = command.assessment.proposedGrade;
    next.assessmentCount += 1;
    next.safeguardingRequired = next.safeguardingRequired || needsSafeguarding(command.assessment);
    // A person assessed as vulnerable stays marked so (enhanced Victims' Code rights, the queue's flag).
    if (['medium', 'high'].includes(command.assessment.factors.vulnerability.level)) next.screening = { ...next.screening, vulnerable: true };
    if (isDowngrade(state.grade, proposed)) {
      next.pendingDowngrade = { fromGrade: state.grade!, toGrade: proposed, requestedBy: actor, requestedAt: now };
      return [{ type: 'downgrade-proposed', details: { fromGrade: state.grade!, toGrade: proposed, assessment: next.assessmentCount } }];
    }
    next.pendingDowngrade = null;
    next.grade = proposed;
    return [{ type: state.assessmentCount === 0 ? 'assessed' : 'reassessed', details: { grade: proposed, previousGrade: state.grade, assessment: next.assessmentCount } }];
  },
};
