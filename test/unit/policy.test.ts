import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { defaultPolicyFile } from '../../src/config/app-config.js';
import { loadPolicyFile, parsePolicy, PolicyFileError } from '../../src/modules/policy/policy.loader.js';
import { defaultPolicy, writePolicyFile } from '../support/policies.js';

const problemsOf = (content: unknown): string[] => {
  try {
    parsePolicy(content);
  } catch (error) {
    if (error instanceof PolicyFileError) return error.problems;
    throw error;
  }
  return [];
};

const pathsOf = (problems: string[]) => [...new Set(problems.map((problem) => problem.slice(0, problem.indexOf(': '))))].sort();

describe('contact policy files', () => {
  it('loads the shipped national defaults, with a stable hash of their content', () => {
    const loaded = loadPolicyFile(defaultPolicyFile);
    expect(loaded.policy.clocks['digital-action'].duration).toEqual({ hours: 48 });
    expect(loaded.policy.clocks['digital-action-risk'].duration).toEqual({ hours: 24 });
    expect(loaded.policy.clocks['victim-update'].duration).toEqual({ workingDays: 5 });
    expect(loaded.policy.grades['2'].unresourced).toEqual({ minutes: 40 });
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Key order does not change the hash: the same policy is the same version.
    const reordered = Object.fromEntries(Object.entries(defaultPolicy()).reverse());
    expect(parsePolicy(reordered).sha256).toBe(loaded.sha256);
  });

  it('names the path of every problem in a broken policy', () => {
    const policy = defaultPolicy() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    policy.version = 'has spaces';
    policy.calendar = { ...policy.calendar, timeZone: 'Mars/Olympus', holidays: ['2026-02-30x'] };
    policy.clocks = { ...policy.clocks, 'digital-action': { ...policy.clocks['digital-action'], warnAt: 1.5 } };
    policy.grades = { ...policy.grades, 2: { ...policy.grades[2], unresourcedEscalatesTo: 'chief-constable' } };
    policy.surprise = true;
    expect(pathsOf(problemsOf(policy))).toEqual(['(root)', 'calendar.holidays.0', 'calendar.timeZone', 'clocks.digital-action.warnAt', 'grades.2.unresourcedEscalatesTo', 'version']);
  });

  it('checks that the parts of a policy agree with each other', () => {
    const policy = defaultPolicy() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    policy.clocks = {
      ...policy.clocks,
      attendance: { ...policy.clocks.attendance, duration: { minutes: 5 } },
      'crime-recording': { label: 'crime recording', warnAt: 0.5, repeatEvery: { hours: 1 } },
    };
    policy.grades = { ...policy.grades, 1: { ...policy.grades[1], unresourcedEscalatesTo: 'administrator' } };
    expect(pathsOf(problemsOf(policy))).toEqual(['clocks.attendance.duration', 'clocks.crime-recording.duration', 'grades.1.unresourcedEscalatesTo']);
  });

  it('refuses a file it cannot read or parse, naming the file', () => {
    expect(() => loadPolicyFile('/nonexistent/policy.json')).toThrow(/Policy \/nonexistent\/policy.json is not valid: cannot be read \(ENOENT\)/);
    const file = writePolicyFile(defaultPolicy());
    writeFileSync(file, '{ not json');
    expect(() => loadPolicyFile(file)).toThrow(/is not JSON/);
  });
});
