import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: repoRoot });
// Probe files do not exist on disk, so the type-aware parser cannot load them; the purity rules
// need no type information, and everything else in the project's configuration still applies.
const probeLinter = new ESLint({ cwd: repoRoot, overrideConfig: [tseslint.configs.disableTypeChecked] });

/** Lints source text as though it were a file at `path` in the repository. */
async function restrictedImportErrors(path: string, code: string): Promise<string[]> {
  const [result] = await probeLinter.lintText(code, { filePath: join(repoRoot, path) });
  const fatal = result.messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((message) => message.message).join('\n'));
  return result.messages
    .filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports' || message.ruleId === 'no-restricted-globals')
    .map((message) => message.message);
}

const workflowFile = 'src/workflows/lint-probe.workflow.ts';

describe('lint keeps workflow code pure', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'a node: built-in'],
    ["import { readFileSync } from 'fs';", 'a bare built-in'],
    ["import { randomUUID } from 'crypto';", 'crypto'],
    ["import * as http from 'http';", 'http'],
    ["import { Injectable } from '@nestjs/common';", 'Nest'],
    ["import { MikroORM } from '@mikro-orm/core';", 'MikroORM'],
    ["import { MikroORM } from '@mikro-orm/postgresql';", 'the MikroORM driver'],
    ["import { Client } from '@temporalio/client';", 'the Temporal client'],
    ["import { SystemCheckActivitiesProvider } from '../activities/system-check.activities.js';", 'activity code'],
    ["import type { SystemCheckActivitiesProvider } from '../activities/system-check.activities.js';", 'even a type from the activities layer (the contract is in *.messages.ts)'],
    ["import { SystemChecksService } from '../modules/system-checks/system-checks.service.js';", 'an application module'],
  ])('rejects %s (%s)', async (importLine) => {
    const errors = await restrictedImportErrors(workflowFile, `${importLine}\nexport const probe = 1;\n`);
    expect(errors.length).toBeGreaterThan(0);
  });

  it.each(['src/workflows/lint-probe.workflow.ts', 'src/domain/commands/lint-probe.ts', 'src/domain/lint-probe.ts'])('keeps the schema library out of %s, but for its types', async (path) => {
    expect((await restrictedImportErrors(path, "import { z } from 'zod';\nexport const probe = z.string();\n")).join('\n')).toContain('zod as a type only');
    expect((await restrictedImportErrors(path, "import { text } from '../fields.js';\nexport const probe = text;\n")).join('\n')).toContain('types only');
    expect(await restrictedImportErrors(path, "import { type z } from 'zod';\nimport type { SchemaKit } from '../fields.js';\nexport type Probe = z.ZodType | SchemaKit;\n")).toEqual([]);
  });

  it('lets the file of fields, which only the API loads, build them with zod', async () => {
    expect(await restrictedImportErrors('src/domain/fields.ts', "import { z } from 'zod';\nexport const probe = z.string();\n")).toEqual([]);
  });

  it('rejects reading the process', async () => {
    const errors = await restrictedImportErrors(workflowFile, 'export const probe = process.env.X;\n');
    expect(errors.join('\n')).toContain('process');
  });

  it('allows @temporalio/workflow and the activity contract in the workflow messages', async () => {
    const code = [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { SystemCheckActivities } from './system-check.messages.js';",
      "export const probe = proxyActivities<SystemCheckActivities>({ startToCloseTimeout: '1 minute' });",
      '',
    ].join('\n');
    expect(await restrictedImportErrors(workflowFile, code)).toEqual([]);
  });

  it('leaves code outside src/workflows free to use Node built-ins', async () => {
    const errors = await restrictedImportErrors('src/modules/lint-probe.service.ts', "import { readFileSync } from 'node:fs';\nexport const probe = readFileSync;\n");
    expect(errors).toEqual([]);
  });

  it('finds the real workflow sources clean', async () => {
    const results = await eslint.lintFiles(['src/workflows/**/*.ts']);
    expect(results.length).toBeGreaterThan(0);
    expect(results.flatMap((result) => result.messages.map((message) => `${result.filePath}: ${message.message}`))).toEqual([]);
  });
});
