import { describe, expect, it } from '@jest/globals';
import { isWellFormedText, malformedTextProblems } from '../../../src/domain/well-formed-text.js';

describe('well-formed text', () => {
  const halfAnEmoji = 'Jane \ud83d';
  const wholeEmoji = 'Jane \ud83d\ude00';

  it('tells half an emoji from a whole one, at either end and alone', () => {
    expect(isWellFormedText(wholeEmoji)).toBe(true);
    expect(isWellFormedText('plain text, accents: é, and CJK: 警察')).toBe(true);
    for (const bad of [halfAnEmoji, '\ude00 after', 'in \ud83d the middle', '\ude00\ud83d', '\ud83d']) expect(isWellFormedText(bad)).toBe(false);
  });

  it('names every malformed field by its path, in objects and arrays', () => {
    expect(malformedTextProblems({ caller: { name: halfAnEmoji, phone: '+44 7700 900123' }, qualifiers: ['ok', '\ude00'], narrative: wholeEmoji })).toEqual([
      { field: 'caller.name', message: expect.stringContaining('well-formed Unicode') },
      { field: 'qualifiers[1]', message: expect.stringContaining('well-formed Unicode') },
    ]);
    expect(malformedTextProblems({ count: 3, flag: true, none: null })).toEqual([]);
  });
});
