import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The rows of the "Where each rule lives" table in docs/architecture.md. */
function ruleHomes(): Array<{ rule: string; file: string; name: string }> {
  const text = readFileSync(join(repoRoot, 'docs/architecture.md'), 'utf8');
  const section = text.slice(text.indexOf('## Where each rule lives'));
  return [...section.matchAll(/^\| ([^|]+) \| `([^`]+)` \| `([^`]+)` \|$/gm)].map(([, rule, file, name]) => ({ rule: rule.trim(), file, name }));
}

describe('the table of where each rule lives', () => {
  it('names, for every rule, a file that exists and exports what it names', () => {
    const rows = ruleHomes();
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const wrong = rows.filter(({ file, name }) => {
      const path = join(repoRoot, file);
      if (!existsSync(path)) return true;
      return !new RegExp(`^export (?:async )?(?:function|const|class|enum|interface|type) ${name}\\b`, 'm').test(readFileSync(path, 'utf8'));
    });
    expect(wrong).toEqual([]);
  });

  it('is linked from the README, one hop from it', () => {
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain('docs/architecture.md#where-each-rule-lives');
  });
});
