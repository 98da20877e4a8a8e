import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Probe files do not exist on disk, so the type-aware parser cannot load them; the import rules
// need no type information, and everything else in the project's configuration still applies.
const probeLinter = new ESLint({ cwd: repoRoot, overrideConfig: [tseslint.configs.disableTypeChecked] });

async function importErrors(path: string, importLine: string): Promise<string[]> {
  const [result] = await probeLinter.lintText(`${importLine}\nexport const probe = [];\n`, { filePath: join(repoRoot, path) });
  const fatal = result.messages.filter((message) => message.fatal);
  if (fatal.length > 0) throw new Error(fatal.map((message) => message.message).join('\n'));
  return result.messages.filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports').map((message) => message.message);
}

/**
 * The layers, lowest first: domain ← workflows ← config ← modules ← activities ← worker, and
 * modules ← api, cli; beside them the tools (dev/, bench/), which nothing of the product imports. Each row is a file in one layer importing a real file of a layer above it
 * (refused) and one of a layer below it (allowed).
 */
const layers: Array<[layer: string, probe: string, refused: string[], allowed: string[]]> = [
  ['domain', 'src/domain/probe.ts', ['../workflows/contact-case.messages.js', '../modules/audit/audit-chain.js', '../config/app-config.js'], ['./thrive.js']],
  ['workflows', 'src/workflows/probe.workflow.ts', ['../activities/contact-case.activities.js', '../modules/contact-cases/case-store.service.js', '../dev/supervised-process.js'], ['../domain/clocks.js', './contact-case.messages.js']],
  ['config', 'src/config/probe.ts', ['../modules/platform/process/child-process.js', '../modules/platform/database/store-db.js', '../api/api.module.js', '../dev/temporal-cli.js'], ['./app-config.js']],
  ['modules', 'src/modules/probe/probe.ts', ['../../activities/contact-case.activities.js', '../../api/api.module.js', '../../cli/demo.js', '../../worker/worker.module.js', '../../dev/embedded-database.js', '../../bench/system.js'], ['../platform/database/store-db.js', '../../workflows/contact-case.messages.js', '../platform/process/child-process.js', '../../domain/clocks.js']],
  ['activities', 'src/activities/probe.activities.ts', ['../worker/worker.module.js', '../api/api.module.js', '../cli/demo.js'], ['../modules/contact-cases/case-store.service.js', '../workflows/contact-case.messages.js']],
  ['worker', 'src/worker/probe.ts', ['../api/api.module.js', '../cli/demo.js', '../dev/temporal-dev-server.js'], ['../activities/activities.module.js', '../modules/platform/database/database.module.js']],
  ['api', 'src/api/probe/probe.controller.ts', ['../../activities/contact-case.activities.js', '../../worker/worker.module.js', '../../cli/demo.js', '@temporalio/worker', '../../modules/audit/case-replayer.js', '../../modules/platform/temporal/temporal-worker.service.js'], ['../../modules/contact-cases/contact-cases.service.js', '@temporalio/client']],
  ['cli', 'src/cli/probe.ts', ['../api/api.module.js', '../activities/contact-case.activities.js', '../worker/worker.module.js', '../bench/intake.js'], ['../modules/audit/case-replayer.js', '../dev/dev-run-files.js']],
  ['dev', 'src/dev/probe.ts', ['../api/api.module.js', '../activities/contact-case.activities.js', '../cli/demo.js', '../bench/system.js'], ['../modules/platform/process/child-process.js', '../config/app-config.js']],
  ['bench', 'src/bench/probe.ts', ['../api/api.module.js', '../activities/contact-case.activities.js', '../worker/worker.module.js'], ['../dev/embedded-database.js', '../cli/api-client.js', '../modules/platform/database/store-db.js']],
];

describe('lint keeps every layer from importing the layers above it', () => {
  it.each(layers)('%s: refuses what is above, allows what is below', async (_layer, probe, refused, allowed) => {
    for (const target of [...refused, ...allowed].filter((path) => path.startsWith('.'))) {
      // Every probed path is a real file, so a rename cannot leave a probe testing nothing.
      expect([target, readFileSync(resolve(dirname(join(repoRoot, probe)), target.replace(/\.js$/, '.ts'), ''), 'utf8').length > 0]).toEqual([target, true]);
    }
    for (const target of refused) expect([target, (await importErrors(probe, `import { x } from '${target}';`)).length]).toEqual([target, 1]);
    for (const target of allowed) expect([target, await importErrors(probe, `import { x } from '${target}';`)]).toEqual([target, []]);
  });

  it('checks type-only imports too: a type from a layer above is still an arrow pointing up', async () => {
    expect(await importErrors('src/modules/probe/probe.ts', "import type { x } from '../../activities/contact-case.activities.js';")).toHaveLength(1);
    expect(await importErrors('src/workflows/probe.workflow.ts', "import type { x } from '../activities/contact-case.activities.js';")).toHaveLength(1);
  });

  it('leaves the entry points free to wire every layer', async () => {
    expect(await importErrors('src/dev.ts', "import { x } from './cli/demo.js';")).toEqual([]);
    expect(await importErrors('src/worker.ts', "import { x } from './worker/worker.module.js';")).toEqual([]);
  });
});

describe('lint keeps the environment to the configuration and the entry points', () => {
  const envErrors = async (path: string) => {
    const [result] = await probeLinter.lintText('export const probe = process.env.PROBE;\n', { filePath: join(repoRoot, path) });
    return result.messages.filter((message) => message.ruleId === 'no-restricted-properties').length;
  };

  it.each(['src/dev/probe.ts', 'src/modules/probe/probe.ts', 'src/api/probe/probe.controller.ts', 'src/activities/probe.activities.ts'])('refuses process.env in %s', async (path) => {
    expect(await envErrors(path)).toBe(1);
  });

  it.each(['src/config/probe.ts', 'src/dev.ts', 'src/cli/probe.ts', 'src/bench/probe.ts'])('allows it in %s', async (path) => {
    expect(await envErrors(path)).toBe(0);
  });
});

describe('lint keeps one validation system', () => {
  const validationErrors = async (path: string, importLine: string) => {
    const [result] = await probeLinter.lintText(`${importLine}\nexport const probe = [];\n`, { filePath: join(repoRoot, path) });
    return result.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
  };

  it.each(['src/api/probe/probe.dto.ts', 'src/modules/probe/probe.ts', 'test/e2e/probe.test.ts'])('refuses class-validator and class-transformer in %s', async (path) => {
    expect(await validationErrors(path, "import { IsString } from 'class-validator';")).toEqual([expect.stringContaining('zod schemas')]);
    expect(await validationErrors(path, "import { Type } from 'class-transformer';")).toEqual([expect.stringContaining('zod schemas')]);
    expect(await validationErrors(path, "import { z } from 'zod';")).toEqual([]);
  });
});

/** One typed path to the case store: lint refuses SQL strings and the raw driver outside the listed files. */
describe('lint keeps SQL of its own to the listed files', () => {
  const storeErrors = async (path: string, code: string) => {
    const [result] = await probeLinter.lintText(`${code}\n`, { filePath: join(repoRoot, path) });
    return result.messages.filter((message) => message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-syntax').map((message) => message.message);
  };
  const sqlImport = "import { sql } from 'kysely';\nexport const probe = sql`select 1`;";
  const pgImport = "import pg from 'pg';\nexport const probe = pg;";
  const stringQuery = "export const probe = (db: { query(text: string): void }) => db.query('select 1');";
  const builder = "import { type Kysely } from 'kysely';\nexport const probe = (db: Kysely<{ t: { a: string } }>) => db.selectFrom('t').select('a');";

  it.each(['src/modules/probe/probe.ts', 'src/api/probe/probe.controller.ts', 'src/cli/probe.ts'])('refuses SQL strings, the sql tag and the raw driver in %s, and takes the builder', async (path) => {
    expect(await storeErrors(path, sqlImport)).toEqual([expect.stringContaining('typed builder')]);
    expect(await storeErrors(path, pgImport)).toEqual([expect.stringContaining('StoreDatabase')]);
    expect(await storeErrors(path, stringQuery)).toEqual([expect.stringContaining('No SQL strings')]);
    expect(await storeErrors(path, builder)).toEqual([]);
  });

  it('takes SQL of its own in a listed file, and still refuses the raw driver there', async () => {
    // Every listed file is real, so the list cannot go stale unnoticed.
    const { rawSqlFiles } = (await import(join(repoRoot, 'eslint.config.js'))) as { rawSqlFiles: string[] };
    for (const file of rawSqlFiles.filter((candidate) => !candidate.includes('*'))) expect([file, readFileSync(join(repoRoot, file), 'utf8').length > 0]).toEqual([file, true]);
    const listed = 'src/modules/contact-cases/case-queries.service.ts';
    expect(rawSqlFiles).toContain(listed);
    expect(await storeErrors(listed, sqlImport)).toEqual([]);
    expect(await storeErrors(listed, stringQuery)).toEqual([]);
    expect(await storeErrors(listed, pgImport)).toEqual([expect.stringContaining('StoreDatabase')]);
    // The listener and the migration lock open connections of their own.
    expect(await storeErrors('src/modules/platform/database/notifications.ts', pgImport)).toEqual([]);
  });
});
