import { type FieldProblem } from './channels.js';

/** THRIVE(S): Threat, Harm, Risk, Investigation, Vulnerability, Engagement, and Safeguarding. */
export const thriveFactors = ['threat', 'harm', 'risk', 'investigation', 'vulnerability', 'engagement', 'safeguarding'] as const;
export type ThriveFactor = (typeof thriveFactors)[number];

export const factorLevels = ['none', 'low', 'medium', 'high'] as const;
export type FactorLevel = (typeof factorLevels)[number];

/** 1 Emergency, 2 Priority, 3 Scheduled, 4 Resolved without deployment. */
export type Grade = 1 | 2 | 3 | 4;
export const grades: readonly Grade[] = [1, 2, 3, 4];

export interface FactorAssessment {
  level: FactorLevel;
  rationale: string;
}

export interface ThriveAssessment {
  factors: Record<ThriveFactor, FactorAssessment>;
  proposedGrade: Grade;
}

export const MIN_RATIONALE_LENGTH = 10;

const rank = (level: FactorLevel) => factorLevels.indexOf(level);

/**
 * Whether an assessment is complete and hangs together. Grading follows the assessed risk, not the
 * resources free: these rules refuse a grade that the factors the assessor recorded do not support.
 */
export function assessmentProblems(assessment: ThriveAssessment): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const factor of thriveFactors) {
    const entry = assessment.factors?.[factor];
    if (!entry) {
      problems.push({ field: `factors.${factor}`, message: `${factor} has not been assessed` });
      continue;
    }
    if (!factorLevels.includes(entry.level)) problems.push({ field: `factors.${factor}.level`, message: `level must be one of ${factorLevels.join(', ')}` });
    if (typeof entry.rationale !== 'string' || entry.rationale.trim().length < MIN_RATIONALE_LENGTH) {
      problems.push({ field: `factors.${factor}.rationale`, message: `a rationale of at least ${MIN_RATIONALE_LENGTH} characters is required` });
    }
  }
  if (!grades.includes(assessment.proposedGrade)) problems.push({ field: 'proposedGrade', message: 'proposedGrade must be 1, 2, 3 or 4' });
  if (problems.length > 0) return problems;

  const { threat, harm, risk } = assessment.factors;
  const highest = Math.max(rank(threat.level), rank(harm.level), rank(risk.level));
  const grade = assessment.proposedGrade;
  if (highest === rank('high') && grade > 2) {
    problems.push({ field: 'proposedGrade', message: 'high threat, harm or risk needs grade 1 or 2' });
  }
  if (harm.level === 'high' && risk.level === 'high' && grade !== 1) {
    problems.push({ field: 'proposedGrade', message: 'high harm that is highly likely needs grade 1' });
  }
  if (grade === 1 && highest < rank('medium')) {
    problems.push({ field: 'proposedGrade', message: 'grade 1 needs at least medium threat, harm or risk' });
  }
  if (grade === 4 && highest > rank('low')) {
    problems.push({ field: 'proposedGrade', message: 'resolving without deployment needs threat, harm and risk no higher than low' });
  }
  if (grade === 4 && rank(assessment.factors.vulnerability.level) === rank('high')) {
    problems.push({ field: 'proposedGrade', message: 'a highly vulnerable person cannot be resolved without deployment' });
  }
  return problems;
}

/** A less urgent grade than the one in force (a higher number): it waits for a supervisor. */
export const isDowngrade = (current: Grade | null, proposed: Grade) => current !== null && proposed > current;

/** Safeguarding at medium or above obliges a safeguarding referral before the case can close at first contact. */
export const needsSafeguarding = (assessment: ThriveAssessment) => rank(assessment.factors.safeguarding.level) >= rank('medium');
