import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicyFile } from '../../src/config/app-config.js';
import { type ClockKind, type ContactPolicy, type OptionalClockKind } from '../../src/domain/policy.js';
import { type ElapsedDuration } from '../../src/domain/working-time.js';
import { loadPolicyFile } from '../../src/modules/policy/policy.loader.js';

/** The policy the project ships (national defaults), validated as the API validates it. */
export const defaultPolicy = (): ContactPolicy => loadPolicyFile(defaultPolicyFile).policy;

/** The default policy under another version, with some clocks changed. */
export function policyWith(version: string, clocks: Partial<Record<ClockKind, Partial<ContactPolicy['clocks'][ClockKind]>>> = {}, grades: Partial<ContactPolicy['grades']> = {}): ContactPolicy {
  const base = defaultPolicy();
  return {
    ...base,
    version,
    clocks: Object.fromEntries(Object.entries(base.clocks).map(([kind, rule]) => [kind, { ...rule, ...clocks[kind as ClockKind] }])) as ContactPolicy['clocks'],
    grades: { ...base.grades, ...grades },
  };
}

/** The default policy under another version, without some of its optional clocks (as a policy from before them). */
export function policyWithout(version: string, kinds: OptionalClockKind[]): ContactPolicy {
  const base = defaultPolicy();
  return { ...base, version, clocks: Object.fromEntries(Object.entries(base.clocks).filter(([kind]) => !(kinds as string[]).includes(kind))) as ContactPolicy['clocks'] };
}

/**
 * Every clock in seconds: for tests on a real server that cannot skip time. Without the regular
 * risk review, whose hours would stay out of their way anyway but add clocks to every submission.
 */
export function shortClockPolicy(version: string, seconds: { digital: number; repeat: number }): ContactPolicy {
  const repeatEvery: ElapsedDuration = { seconds: seconds.repeat };
  const short = policyWith(
    version,
    {
      'digital-action': { duration: { seconds: seconds.digital }, repeatEvery },
      'digital-action-risk': { duration: { seconds: seconds.digital }, repeatEvery },
      unresourced: { repeatEvery },
      attendance: { repeatEvery },
      'crime-recording': { duration: { seconds: seconds.digital }, repeatEvery },
    },
    { '2': { label: 'Priority', attendance: { urban: { seconds: seconds.digital * 2 }, rural: { seconds: seconds.digital * 2 } }, unresourced: { seconds: seconds.digital }, unresourcedEscalatesTo: 'team-leader' } },
  );
  const { 'risk-review': _review, 'risk-review-ir': _ir, ...clocks } = short.clocks;
  return { ...short, clocks: clocks };
}

/** Writes a policy where a process started with `POLICY_FILE` can read it. */
export function writePolicyFile(policy: ContactPolicy): string {
  const file = join(mkdtempSync(join(tmpdir(), 'policy-')), `${policy.version}.json`);
  writeFileSync(file, JSON.stringify(policy, null, 2));
  return file;
}
