import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

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
] as const;
