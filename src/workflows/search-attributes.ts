import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType, type SearchAttributeUpdatePair } from '@temporalio/common';
import { type CaseProjection, projectCase } from '../domain/case-projection.js';
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

type Pair = SearchAttributePair;

/**
 * How each attribute follows from the case's projection, in one order. A `null` value is left unset
 * on a new case; on a change it is `unset` (removed) or `kept` (the last value stays).
 */
const fromProjection: Array<{ key: Pair['key']; value: (projected: CaseProjection) => Pair['value'] | null; whenNull: 'unset' | 'kept'; same?: (a: unknown, b: unknown) => boolean }> = [
  { key: caseChannelKey, value: (projected) => projected.channel, whenNull: 'kept' },
  { key: caseStageKey, value: (projected) => projected.stage, whenNull: 'kept' },
  { key: caseRiskMarkerKey, value: (projected) => projected.riskMarker ?? 'none', whenNull: 'kept' },
  { key: caseVulnerableKey, value: (projected) => projected.vulnerable, whenNull: 'kept' },
  { key: caseOpenClocksKey, value: (projected) => projected.openClockKinds, whenNull: 'kept', same: (a, b) => (a as string[]).join() === (b as string[]).join() },
  { key: caseBreachedKey, value: (projected) => projected.breached, whenNull: 'kept' },
  { key: caseOpenAlertKey, value: (projected) => projected.openAlert, whenNull: 'kept' },
  { key: caseGradeKey, value: (projected) => projected.grade, whenNull: 'kept' },
  { key: caseEscalationLevelKey, value: (projected) => projected.escalationLevel, whenNull: 'kept' },
  { key: caseTeamKey, value: (projected) => projected.team, whenNull: 'kept' },
  { key: casePolicyVersionKey, value: (projected) => projected.policyVersion, whenNull: 'kept' },
  {
    key: caseNextDueAtKey,
    value: (projected) => (projected.nextDueAt === null ? null : new Date(projected.nextDueAt)),
    whenNull: 'unset',
    same: (a, b) => (a as Date | null)?.getTime() === (b as Date | null)?.getTime(),
  },
];

/** Every search attribute of a case in this state: what its workflow starts with. */
export function caseSearchAttributes(state: ContactCaseState): Pair[] {
  const pairs: Pair[] = [];
  const projected = projectCase(state);
  for (const { key, value } of fromProjection) {
    const current = value(projected);
    if (current !== null) pairs.push({ key, value: current } as Pair);
  }
  return pairs;
}

/** What a change to the case changed, for one upsert (empty when nothing did). */
export function changedSearchAttributes(before: ContactCaseState, after: ContactCaseState): SearchAttributeUpdatePair[] {
  const changed: SearchAttributeUpdatePair[] = [];
  const [beforeProjected, afterProjected] = [projectCase(before), projectCase(after)];
  for (const { key, value, whenNull, same } of fromProjection) {
    const [was, now] = [value(beforeProjected), value(afterProjected)];
    if (same ? same(was, now) : was === now) continue;
    if (now !== null) changed.push({ key, value: now } as SearchAttributeUpdatePair);
    else if (whenNull === 'unset') changed.push({ key, value: null } as SearchAttributeUpdatePair);
  }
  return changed;
}
