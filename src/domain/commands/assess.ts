import { assessmentProblems, isDowngrade, needsSafeguarding, type ThriveAssessment } from '../thrive.js';
import { type CaseCommandDefinition, invalid } from './command.js';

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
