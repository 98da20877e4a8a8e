import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { activeClocks, hasBreach, nextDueAt } from '../domain/clocks.js';
import type { ContactCaseState } from '../domain/contact-case.js';

/**
 * Custom search attributes supervisors filter on in the Temporal Web UI. None may ever hold
 * personal data: only codes, grades, times and counts.
 */
export const caseChannelKey = defineSearchAttributeKey('CaseChannel', SearchAttributeType.KEYWORD);
export const caseGradeKey = defineSearchAttributeKey('CaseGrade', SearchAttributeType.INT);
export const caseStageKey = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const caseRiskMarkerKey = defineSearchAttributeKey('CaseRiskMarker', SearchAttributeType.KEYWORD);
export const caseNextDueAtKey = defineSearchAttributeKey('CaseNextDueAt', SearchAttributeType.DATETIME);
export const caseEscalationLevelKey = defineSearchAttributeKey('CaseEscalationLevel', SearchAttributeType.INT);
export const caseVulnerableKey = defineSearchAttributeKey('CaseVulnerable', SearchAttributeType.BOOL);
export const caseTeamKey = defineSearchAttributeKey('CaseTeam', SearchAttributeType.KEYWORD);
export const casePolicyVersionKey = defineSearchAttributeKey('CasePolicyVersion', SearchAttributeType.KEYWORD);
/** The kinds of the case's clocks still counting (running, warned, breached, paused): `CaseOpenClocks = "unresourced"`. */
export const caseOpenClocksKey = defineSearchAttributeKey('CaseOpenClocks', SearchAttributeType.KEYWORD_LIST);
/** A clock on the case has breached and is not yet met. */
export const caseBreachedKey = defineSearchAttributeKey('CaseBreached', SearchAttributeType.BOOL);
/** An alert on the case waits for someone to acknowledge it (who it is addressed to is in the app, not here). */
export const caseOpenAlertKey = defineSearchAttributeKey('CaseOpenAlert', SearchAttributeType.BOOL);

export const caseSearchAttributeKeys = [
  caseChannelKey,
  caseGradeKey,
  caseStageKey,
  caseRiskMarkerKey,
  caseNextDueAtKey,
  caseEscalationLevelKey,
  caseVulnerableKey,
  caseTeamKey,
  casePolicyVersionKey,
  caseOpenClocksKey,
  caseBreachedKey,
  caseOpenAlertKey,
] as const;

/** The kinds of the clocks still counting, for `CaseOpenClocks`. */
const openClockKinds = (state: ContactCaseState) => [...new Set(activeClocks(state).map((clock) => clock.kind))].sort();

type Pair = SearchAttributePair;

/**
 * How each attribute follows from the case's state, in one order. A `null` value is left unset on a
 * new case; on a change it is `unset` (removed) or `kept` (the last value stays).
 */
const fromState: Array<{ key: Pair['key']; value: (state: ContactCaseState) => Pair['value'] | null; whenNull: 'unset' | 'kept'; same?: (a: unknown, b: unknown) => boolean }> = [
  { key: caseChannelKey, value: (state) => state.channel, whenNull: 'kept' },
  { key: caseStageKey, value: (state) => state.stage, whenNull: 'kept' },
  { key: caseRiskMarkerKey, value: (state) => state.screening.riskMarker ?? 'none', whenNull: 'kept' },
  { key: caseVulnerableKey, value: (state) => state.screening.vulnerable, whenNull: 'kept' },
  { key: caseOpenClocksKey, value: openClockKinds, whenNull: 'kept', same: (a, b) => (a as string[]).join() === (b as string[]).join() },
  { key: caseBreachedKey, value: hasBreach, whenNull: 'kept' },
  { key: caseOpenAlertKey, value: (state) => (state.alerts ?? []).length > 0, whenNull: 'kept' },
  { key: caseGradeKey, value: (state) => state.grade, whenNull: 'kept' },
  { key: caseEscalationLevelKey, value: (state) => state.escalationLevel, whenNull: 'kept' },
  { key: caseTeamKey, value: (state) => state.team, whenNull: 'kept' },
  { key: casePolicyVersionKey, value: (state) => state.policyVersion, whenNull: 'kept' },
  {
    key: caseNextDueAtKey,
    value: (state) => {
      const due = nextDueAt(state);
      return due === null ? null : new Date(due);
    },
    whenNull: 'unset',
    same: (a, b) => (a as Date | null)?.getTime() === (b as Date | null)?.getTime(),
  },
];

/** Every search attribute of a case in this state: what its workflow starts with. */
export function caseSearchAttributes(state: ContactCaseState): Pair[] {
  const pairs: Pair[] = [];
  for (const { key, value } of fromState) {
    const current = value(state);
    if (current !== null) pairs.push({ key, value: current } as Pair);
  }
  return pairs;
}

/** What a change to the case changed, for one upsert (empty when nothing did). */
export function changedSearchAttributes(before: ContactCaseState, after: ContactCaseState): SearchAttributeUpdatePair[] {
  const changed: SearchAttributeUpdatePair[] = [];
  for (const { key, value, whenNull, same } of fromState) {
    const [was, now] = [value(before), value(after)];
    if (same ? same(was, now) : was === now) continue;
    if (now !== null) changed.push({ key, value: now } as SearchAttributeUpdatePair);
    else if (whenNull === 'unset') changed.push({ key, value: null } as SearchAttributeUpdatePair);
  }
  return changed;
}
