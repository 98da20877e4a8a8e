import { describe, expect, it } from '@jest/globals';
import { searchAttributeCliPairs } from '../../src/modules/platform/temporal/search-attribute-registration.js';

describe('custom search attributes', () => {
  it('registers each with the Temporal CLI under its name and type', () => {
    expect(searchAttributeCliPairs()).toEqual([
      'CaseChannel=Keyword',
      'CaseGrade=Int',
      'CaseStage=Keyword',
      'CaseRiskMarker=Keyword',
      'CaseNextDueAt=Datetime',
      'CaseEscalationLevel=Int',
      'CaseVulnerable=Bool',
      'CaseTeam=Keyword',
      'CasePolicyVersion=Keyword',
      'CaseOpenClocks=KeywordList',
      'CaseBreached=Bool',
      'CaseOpenAlert=Bool',
    ]);
  });
});
