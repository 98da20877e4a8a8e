import { type FactorLevel, type Grade, type ThriveAssessment, thriveFactors } from './thrive.js';

/** A complete THRIVE(S) assessment (for the demo, the benchmarks and the tests): every factor `low` unless given, each with a rationale. */
export function assessment(levels: Partial<Record<(typeof thriveFactors)[number], FactorLevel>>, proposedGrade: Grade): ThriveAssessment {
  const factors = Object.fromEntries(
    thriveFactors.map((factor) => [factor, { level: levels[factor] ?? 'low', rationale: `Assessed ${factor} from what the caller said` }]),
  ) as ThriveAssessment['factors'];
  return { factors, proposedGrade };
}
