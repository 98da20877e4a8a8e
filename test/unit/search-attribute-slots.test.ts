import { describe, expect, it } from '@jest/globals';
import { sqlVisibilitySlots } from '../../src/modules/platform/temporal/search-attribute-registration.js';
import { caseSearchAttributeKeys } from '../../src/workflows/search-attributes.js';

describe('the case search attributes on SQL visibility', () => {
  it('fit the columns PostgreSQL visibility has for each type', () => {
    const used = new Map<string, number>();
    for (const key of caseSearchAttributeKeys) used.set(key.type, (used.get(key.type) ?? 0) + 1);
    const over = [...used].filter(([type, count]) => count > sqlVisibilitySlots[type as keyof typeof sqlVisibilitySlots]);
    expect(over).toEqual([]);
    // Every Bool column is taken: a fourth flag must be a Keyword instead.
    expect(used.get('BOOL')).toBe(3);
  });
});
