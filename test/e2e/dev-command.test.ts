import { afterAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, waitForExit, waitUntil } from '../../src/infra/child-process.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface DevRun {
  child: ChildProcess;
  output: () => string;
  pids: number[];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The README's run command, as a person uses it: started in a terminal (its own process group),
 * stopped with Ctrl-C (SIGINT to the whole group), started again on the same data directory.
 */
describe('the dev command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'police-contact-dev-'));
  const started: ChildProcess[] = [];

  afterAll(() => {
    for (const child of started) if (child.pid && isAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(command: string[], ports: Record<string, string>): Promise<DevRun> {
    const chunks: string[] = [];
    const child = spawn(command[0], command.slice(1), {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...ports },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    started.push(child);
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
    const output = () => chunks.join('');
    await waitUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`dev command exited early:\n${output()}`);
        return output().includes('[dev] ready') ? true : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 500, what: 'the dev command to be ready' },
    );
    const pids = readFileSync(join(dataDir, 'dev.pids'), 'utf8').split('\n').map(Number).filter(Boolean);
    return { child, output, pids: [child.pid!, ...pids] };
  }

  it('runs the whole system, stops it cleanly, and finds its data on the next start', async () => {
    const ports = {
      API_PORT: String(await findFreePort()),
      TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}`,
      TEMPORAL_UI_PORT: String(await findFreePort()),
      EMBEDDED_DATABASE_PORT: String(await findFreePort()),
    };
    const api = `http://127.0.0.1:${ports.API_PORT}`;

    const first = await start(['npm', 'run', 'dev', '--silent'], ports);
    expect(first.pids.length).toBeGreaterThanOrEqual(4); // npm, Temporal, worker, API (and the dev process)
    expect((await fetch(`${api}/health`)).status).toBe(200);
    const uiUrl = /Temporal UI\s+(\S+)/.exec(first.output())?.[1];
    expect(uiUrl).toContain(`127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    expect((await fetch(uiUrl!)).status).toBe(200);

    // A token from the README's token command, signed by this data directory's development key.
    const token = execFileSync(process.execPath, ['dist/cli/token.js', '--role', 'administrator', '--sub', 'pc-dev'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    }).trim();
    const auth = { authorization: `Bearer ${token}` };
    expect((await fetch(`${api}/api/v1/system-checks`, { method: 'POST' })).status).toBe(401);
    const { checkId } = (await (await fetch(`${api}/api/v1/system-checks`, { method: 'POST', headers: auth })).json()) as { checkId: string };
    await waitUntil(
      async () => {
        const body = (await (await fetch(`${api}/api/v1/system-checks/${checkId}`, { headers: auth })).json()) as { record: unknown };
        return body.record ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'the system check to be recorded' },
    );

    // Ctrl-C: the terminal signals the whole foreground process group.
    process.kill(-first.child.pid!, 'SIGINT');
    await waitForExit(first.child);
    // npm re-raises the signal on itself once its script has exited; the dev process stopped in order.
    expect([first.child.exitCode, first.child.signalCode]).toEqual(expect.arrayContaining([first.child.exitCode === 0 ? 0 : 'SIGINT']));
    expect(first.output()).toContain('[dev] stopped');
    expect(first.output()).not.toContain('forced exit');
    await waitUntil(() => (first.pids.some(isAlive) ? undefined : true), { timeoutMs: 10_000, what: 'every process to end' });
    expect(first.pids.filter(isAlive)).toEqual([]);
    expect(existsSync(join(dataDir, 'dev.pids'))).toBe(false);

    // Started again (this time as a service manager would, stopped with SIGTERM).
    const second = await start([process.execPath, 'dist/dev.js'], ports);
    const found = (await (await fetch(`${api}/api/v1/system-checks/${checkId}`, { headers: auth })).json()) as {
      workflowStatus: string;
      record: { requestedBy: { subject: string } } | null;
    };
    expect(found.workflowStatus).toBe('COMPLETED');
    expect(found.record?.requestedBy.subject).toBe('pc-dev');

    process.kill(second.child.pid!, 'SIGTERM');
    expect(await waitForExit(second.child)).toBe(0);
    expect(second.output()).toContain('[dev] stopped');
    await waitUntil(() => (second.pids.some(isAlive) ? undefined : true), { timeoutMs: 10_000, what: 'every process to end' });
    expect(second.pids.filter(isAlive)).toEqual([]);
  }, 300_000);
});
