import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { Role } from '../../src/domain/roles.js';
import { tokenFor } from '../support/test-tokens.js';
import { startStack, type Stack } from '../support/stack.js';
import { testConfig } from '../support/test-config.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const run = promisify(execFile);
const repository = fileURLToPath(new URL('../..', import.meta.url));

/** A small program a force's integrator might write against the generated types. */
const clientProgram = `
import type { paths } from './api.js';

type IntakeBody = paths['/api/v1/contacts']['post']['requestBody']['content']['application/json'];
type Intake = paths['/api/v1/contacts']['post']['responses'][201]['content']['application/json'];
type CaseView = paths['/api/v1/contacts/{reference}']['get']['responses'][200]['content']['application/json'];
type ErrorBody = paths['/api/v1/contacts']['post']['responses'][400]['content']['application/json'];

export async function openAndRead(base: string, token: string): Promise<{ reference: string; clocks: string[]; grade: number | null }> {
  const body: IntakeBody = { channel: 'web-form', channelDetails: { title: 'Theft' }, caller: { name: 'A. Caller' }, narrative: 'My bike was taken' };
  const headers = { authorization: 'Bearer ' + token, 'content-type': 'application/json' };
  const answer = await fetch(base + '/api/v1/contacts', { method: 'POST', headers, body: JSON.stringify(body) });
  if (answer.status === 400) throw new Error(((await answer.json()) as ErrorBody).fields?.map((problem) => problem.field).join(', '));
  const intake = (await answer.json()) as Intake;
  const position: number = intake.queuePosition;
  const view = (await (await fetch(base + '/api/v1/contacts/' + intake.reference, { headers })).json()) as CaseView;
  return { reference: intake.reference + '@' + position, clocks: view.case.clocks.map((clock) => clock.id + ':' + clock.state), grade: view.case.grade ?? null };
}
`;

/** Reads what the API keeps to itself: it must not compile. */
const leakyProgram = `
import type { paths } from './api.js';
type CaseState = paths['/api/v1/contacts/{reference}/notes']['post']['responses'][201]['content']['application/json'];
export const version = (state: CaseState): number => state.version + state.timelineLength;
`;

function compile(directory: string, file: string): string[] {
  const program = ts.createProgram([join(directory, file)], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    typeRoots: [join(repository, 'node_modules/@types')],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

describe('the API contract', () => {
  let database: TestDatabase;
  let stack: Stack;
  let directory: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The fuzzer sends thousands of requests a minute, as one caller: the limits are not what it tests.
    stack = await startStack(testConfig(database.url, { RATE_LIMIT_INTAKE_PER_MINUTE: '1000000', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '1000000' }));
    directory = mkdtempSync(join(tmpdir(), 'api-contract-'));
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ type: 'module' }));
  });

  afterAll(async () => {
    await stack?.stop();
    await database?.drop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('generates client types from the live document that a client program compiles against, and that keep the internals out', async () => {
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as Record<string, unknown>;
    writeFileSync(join(directory, 'api.d.ts'), astToString(await openapiTS(document as never)));
    writeFileSync(join(directory, 'client.ts'), clientProgram);
    writeFileSync(join(directory, 'leaky.ts'), leakyProgram);

    expect(compile(directory, 'client.ts')).toEqual([]);
    const refused = compile(directory, 'leaky.ts');
    expect(refused.join('\n')).toMatch(/Property 'version' does not exist/);
    expect(refused.join('\n')).toMatch(/Property 'timelineLength' does not exist/);
  });

  it("keeps the desk's API types equal to the live document: a change of the API reaches the desk's type check", async () => {
    const document = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as Record<string, unknown>;
    const committed = readFileSync(join(repository, 'desk/src/api-schema.d.ts'), 'utf8');
    // Written by `npm run desk:types` (scripts/desk-types.mjs): its first line says so.
    const generated = astToString(await openapiTS(document as never));
    expect(committed.slice(committed.indexOf('\n') + 1) === generated ? 'equal' : 'differs: run `npm run dev`, then `npm run desk:types`').toBe('equal');
  });

  it.each([
    ['a team leader', Role.TeamLeader, 'sgt-fuzz'],
    ['an auditor', Role.Auditor, 'aud-fuzz'],
  ])('passes every schemathesis check as %s: no 5xx, no answer or status outside the document', async (_who, role, subject) => {
    const { stdout: command } = await run('sh', [join(repository, 'scripts/ensure-schemathesis.sh')]);
    const token = await tokenFor(role, subject);
    const started = Date.now();
    const result = await run(
      command.trim(),
      [
        '--config-file',
        join(repository, 'test/contract/schemathesis.toml'),
        'run',
        `${stack.apiUrl}/openapi.json`,
        '--checks',
        'all',
        '--header',
        `Authorization: Bearer ${token}`,
        '--max-examples',
        '25',
        '--seed',
        '20261130',
        // A live event stream never ends, which a fuzzer reads as a timeout (alerts.test.ts tests it).
        '--exclude-path',
        '/api/v1/alerts/stream',
        // An alert id holds slashes (its change's id), which the fuzzer filters out of a path
        // segment; whether it then finds enough others depends on the draw. That is about how it
        // generates, not about the API: the ids it keeps are still sent and checked.
        '--suppress-health-check=filter_too_much',
        '--no-color',
      ],
      { cwd: directory, maxBuffer: 64 * 1024 * 1024, timeout: 8 * 60_000 },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    const generated = /(\d+) generated/.exec(output)?.[1];
    process.stdout.write(`[schemathesis] ${role}: ${generated ?? '?'} requests generated in ${Math.round((Date.now() - started) / 1000)} s\n`);
    if ('code' in result && result.code) throw new Error(`schemathesis found failures as ${role}:\n${output.slice(-20_000)}`);
    expect(Number(generated)).toBeGreaterThan(500);
    expect(output).not.toMatch(/Server error|5\d\d Internal/);
  }, 10 * 60_000);
});
