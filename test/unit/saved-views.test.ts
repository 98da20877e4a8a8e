import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DRILL_TEAM } from '../../src/domain/continuity-drill.js';
import { savedViews, savedViewUrl } from '../../src/modules/platform/temporal/saved-views.js';
import { caseSearchAttributeKeys } from '../../src/workflows/search-attributes.js';

describe('saved views for supervisors', () => {
  it('are the ones the supervision guide lists', () => {
    const readme = readFileSync(new URL('../../docs/supervision-and-audit.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('<!-- saved-views:start -->'), readme.indexOf('<!-- saved-views:end -->'));
    const listed = [...table.matchAll(/^\| ([^|]+?) \| `([^`]+)` \|$/gm)].map(([, name, query]) => ({ name, query }));
    expect(listed).toEqual(savedViews.map(({ name, query }) => ({ name, query })));
  });

  it('filter only on the case search attributes and the execution status', () => {
    const known = new Set(['ExecutionStatus', ...caseSearchAttributeKeys.map((key) => key.name)]);
    for (const { query } of savedViews) {
      const names = [...query.matchAll(/\b([A-Z][A-Za-z]+)\s*(?:=|!=|>=|<=|<|>|\s+ORDER|$)/g)].map(([, name]) => name);
      expect(names.every((name) => known.has(name))).toBe(true);
    }
    // No view shows a continuity drill's synthetic cases.
    for (const { query } of savedViews) expect(query).toContain(`CaseTeam != "${DRILL_TEAM}"`);
    expect(savedViewUrl('http://127.0.0.1:8233/', 'police-contact', 'CaseGrade = 1')).toBe('http://127.0.0.1:8233/namespaces/police-contact/workflows?query=CaseGrade%20%3D%201');
  });
});
