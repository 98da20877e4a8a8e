import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configToEnvironment } from '../../src/config/app-config.js';
import { findFreePort } from '../../src/modules/platform/process/child-process.js';
import { testConfig } from '../support/test-config.js';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Runs the API with exactly this environment (not the test runner's), until it exits or 20 s pass. */
function runApi(environment: Record<string, string>): Promise<{ code: number | null; output: string; answered: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '', ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    let answered = false;
    const probe = setInterval(() => {
      void fetch(`http://127.0.0.1:${environment.API_PORT}/mi/sign-in`).then(
        () => (answered = true),
        () => undefined,
      );
    }, 200);
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearInterval(probe);
      clearTimeout(timer);
      resolve({ code, output, answered });
    });
  });
}

/**
 * Production is the default and fails closed: an API started with NODE_ENV unset and no identity
 * provider's keys does not start on a development key (and so never offers the development
 * sign-in); it stops at once, naming what production needs.
 */
describe('production unless told otherwise', () => {
  it('refuses to start with NODE_ENV unset and no identity provider, rather than trust a development key', async () => {
    const environment = configToEnvironment(testConfig('postgres://postgres@127.0.0.1:1/none', { API_PORT: String(await findFreePort()) }));
    const { NODE_ENV: _unset, AUTH_JWKS: _keys, ...unset } = environment;
    expect(_unset).toBe('test');
    const result = await runApi(unset);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.answered).toBe(false);
    expect(result.output).toContain("AUTH_JWKS_URL: production needs the identity provider's keys");
  }, 30_000);
});
