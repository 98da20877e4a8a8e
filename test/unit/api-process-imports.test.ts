import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcRoot = fileURLToPath(new URL('../../src', import.meta.url));

/** Every module a process loads from src/, and every package it loads, following static and dynamic imports. */
function importGraph(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [join(srcRoot, entry)];
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, imported, loaded] of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)) {
      const specifier = imported ?? loaded;
      if (!specifier) continue;
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        if (existsSync(target)) pending.push(target);
        else throw new Error(`${relative(srcRoot, file)} imports ${specifier}, which is not in src/`);
      } else {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
      }
    }
  }
  return { files, packages };
}

describe('the API process', () => {
  it('loads neither the Temporal worker package nor the workflow code (replay runs on a worker)', () => {
    const api = importGraph('main.ts');
    expect(api.files.size).toBeGreaterThan(30);
    expect(api.packages).toContain('@temporalio/client');
    expect(api.packages).not.toContain('@temporalio/worker');
    const loaded = [...api.files].map((file) => relative(srcRoot, file));
    expect(loaded.filter((file) => file.endsWith('.workflow.ts') || file === 'workflows/index.ts' || file.includes('case-replayer'))).toEqual([]);
  });

  it('is told apart from the worker, which does load them', () => {
    const worker = importGraph('worker.ts');
    expect(worker.packages).toContain('@temporalio/worker');
  });
});
