import { describe, expect, it } from '@jest/globals';
import { assessment } from '../../support/assessments.js';
import { assessmentProblems, type Grade, isDowngrade, needsSafeguarding, type ThriveAssessment } from '../../../src/domain/thrive.js';

describe('THRIVE(S) assessment', () => {
  it('accepts a complete, consistent assessment', () => {
    expect(assessmentProblems(assessment({ threat: 'high', harm: 'high', risk: 'high' }, 1))).toEqual([]);
    expect(assessmentProblems(assessment({}, 4))).toEqual([]);
    expect(assessmentProblems(assessment({ risk: 'medium' }, 3))).toEqual([]);
  });

  it('names each factor that is missing or without a rationale', () => {
    const incomplete = assessment({}, 3);
    delete (incomplete.factors as Partial<ThriveAssessment['factors']>).safeguarding;
    incomplete.factors.harm.rationale = 'short';
    expect(assessmentProblems(incomplete).map((problem) => problem.field)).toEqual(['factors.harm.rationale', 'factors.safeguarding']);
  });

  it.each([
    [{ threat: 'high' } as const, 3, 'high threat, harm or risk needs grade 1 or 2'],
    [{ harm: 'high', risk: 'high' } as const, 2, 'high harm that is highly likely needs grade 1'],
    [{} as const, 1, 'grade 1 needs at least medium threat, harm or risk'],
    [{ harm: 'medium' } as const, 4, 'resolving without deployment needs threat, harm and risk no higher than low'],
    [{ vulnerability: 'high' } as const, 4, 'a highly vulnerable person cannot be resolved without deployment'],
  ])('refuses %j at grade %i: %s', (levels, grade, message) => {
    expect(assessmentProblems(assessment(levels, grade as Grade)).map((problem) => problem.message)).toContain(message);
  });

  it('knows a downgrade (a higher grade number) from an upgrade', () => {
    expect(isDowngrade(2, 3)).toBe(true);
    expect(isDowngrade(3, 1)).toBe(false);
    expect(isDowngrade(null, 4)).toBe(false);
  });

  it('asks for safeguarding at medium or above', () => {
    expect(needsSafeguarding(assessment({ safeguarding: 'medium' }, 3))).toBe(true);
    expect(needsSafeguarding(assessment({ safeguarding: 'low' }, 3))).toBe(false);
  });
});
