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
] as const;
