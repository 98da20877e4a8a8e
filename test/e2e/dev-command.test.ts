import { afterAll, describe, expect, it } from '@jest/globals';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, waitForExit, waitUntil } from '../../src/modules/platform/process/child-process.js';
import { readPidFile } from '../../src/dev/dev-run-files.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface DevRun {
  child: ChildProcess;
  output: () => string;
}

/**
 * Every process on the machine that belongs to a run on this data directory: its environment
 * names the directory (npm, the dev command, the worker, the API, Temporal and PostgreSQL all
 * inherit it), whatever process group it put itself in.
 */
function processesOf(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`DATA_DIR=${dataDir}`)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/**
 * The README's run command, as people and supervisors use it: started in a terminal (its own
 * process group) and stopped with Ctrl-C (SIGINT to the whole group), or stopped by a service
 * manager with SIGTERM to the npm process alone; a worker killed outright comes back.
 */
describe('the dev command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'police-contact-dev-'));
  const started: ChildProcess[] = [];

  afterAll(() => {
    for (const pid of processesOf(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(ports: Record<string, string>): Promise<DevRun> {
    const chunks: string[] = [];
    const child = spawn('npm', ['run', 'dev', '--silent'], {
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
    return { child, output };
  }

  const pids = () => readPidFile(join(dataDir, 'dev.pids'));

  it('runs the whole system, survives a killed worker, stops on SIGTERM or Ctrl-C, and finds its data on the next start', async () => {
    const ports = {
      API_PORT: String(await findFreePort()),
      TEMPORAL_ADDRESS: `127.0.0.1:${await findFreePort()}`,
      TEMPORAL_UI_PORT: String(await findFreePort()),
      EMBEDDED_DATABASE_PORT: String(await findFreePort()),
    };
    const api = `http://127.0.0.1:${ports.API_PORT}`;

    const first = await start(ports);
    expect([...pids().keys()].sort()).toEqual(['api', 'dev', 'postgres', 'temporal', 'worker']);
    expect((await fetch(`${api}/health`)).status).toBe(200);
    const uiUrl = /Temporal UI\s+(\S+)/.exec(first.output())?.[1];
    expect(uiUrl).toContain(`127.0.0.1:${ports.TEMPORAL_UI_PORT}`);
    expect((await fetch(uiUrl!)).status).toBe(200);
    // Every page a person opens is listed: the desk and the MI page too, each served.
    const miUrl = /MI page\s+(\S+)/.exec(first.output())?.[1];
    expect(miUrl).toBe(`${api}/mi`);
    expect((await fetch(miUrl!)).status).toBe(200);
    const deskUrl = /Desk\s+(\S+)/.exec(first.output())?.[1];
    expect(deskUrl).toBe(`${api}/desk`);
    const desk = await fetch(deskUrl!);
    expect([desk.status, desk.headers.get('content-security-policy')?.startsWith("default-src 'self'"), (await desk.text()).includes('/desk/assets/')]).toEqual([200, true, true]);
    expect(await (await fetch(`${api}/desk/sign-in`)).json()).toMatchObject({ mode: 'development' });
    expect(first.output()).toMatch(/Database\s+postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres \(embedded PostgreSQL/);

    // A token from the token command (docs/security.md), signed by this data directory's development key.
    const token = execFileSync(process.execPath, ['dist/cli/token.js', '--role', 'administrator', '--sub', 'pc-dev'], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
    }).trim();
    const auth = { authorization: `Bearer ${token}` };
    const systemCheck = async () => {
      const response = await fetch(`${api}/api/v1/system-checks`, { method: 'POST', headers: auth });
      expect(response.status).toBe(202);
      const { checkId } = (await response.json()) as { checkId: string };
      await waitUntil(
        async () => {
          const body = (await (await fetch(`${api}/api/v1/system-checks/${checkId}`, { headers: auth })).json()) as { record: unknown };
          return body.record ? true : undefined;
        },
        { timeoutMs: 30_000, what: 'the system check to be recorded' },
      );
      return checkId;
    };
    expect((await fetch(`${api}/api/v1/system-checks`, { method: 'POST' })).status).toBe(401);
    const checkId = await systemCheck();

    // The demo, run beside it with only the data directory in common, feeds this system and points
    // to the UI it really serves (not the default port).
    const demo = execFileSync(process.execPath, ['dist/cli/demo.js'], { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, encoding: 'utf8' });
    expect(demo).toMatch(/\d+ contacts in/);
    expect(/Temporal UI:\s+(\S+)/.exec(demo)?.[1]).toBe(uiUrl);
    expect(/MI page:\s+(\S+)/.exec(demo)?.[1]).toBe(`${api}/mi`);
    expect(/Desk:\s+(\S+)/.exec(demo)?.[1]).toBe(`${api}/desk`);

    // The management information page signs in with the development key here (no identity
    // provider), and the figures count the demo's contacts.
    expect(await (await fetch(`${api}/mi/sign-in`)).json()).toMatchObject({ mode: 'development' });
    const signIn = await fetch(`${api}/mi/sign-in/development`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor', subject: 'aud-dev' }) });
    expect(signIn.status).toBe(201);
    const { accessToken } = (await signIn.json()) as { accessToken: string };
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const measures = await fetch(`${api}/api/v1/mi/measures?from=${day(-1)}&to=${day(2)}&groupBy=day`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(measures.status).toBe(200);
    expect(((await measures.json()) as { total: { measures: { demand: { contacts: number } } } }).total.measures.demand.contacts).toBeGreaterThan(0);

    // A worker killed outright is started again, and the system works: a command is carried out.
    const killedWorker = pids().get('worker')!;
    const killedAt = Date.now();
    process.kill(killedWorker, 'SIGKILL');
    await waitUntil(() => (pids().get('worker') !== killedWorker && first.output().includes('[dev] worker restarted') ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'the worker to be restarted',
    });
    await systemCheck();
    const backInMs = Date.now() - killedAt;
    console.log(`[dev-command] worker killed with SIGKILL: back, and a system check carried out, ${backInMs} ms later`);
    expect(backInMs).toBeLessThan(10_000);
    expect(first.output()).toMatch(/\[dev\] worker exited \(SIGKILL\); restarting in 0\.5 s \(crash 1 of 5/);
    expect(first.output()).not.toContain('stopping the system');

    // A service manager stops it: SIGTERM to the npm process alone, nothing else. Nothing is left.
    const running = processesOf(dataDir);
    expect(running.length).toBeGreaterThanOrEqual(6); // npm, dev, Temporal, PostgreSQL (and its helpers), worker, API
    process.kill(first.child.pid!, 'SIGTERM');
    await waitForExit(first.child);
    await waitUntil(() => (processesOf(dataDir).length === 0 ? true : undefined), { timeoutMs: 30_000, what: 'every process of the run to end' });
    expect(first.output()).toContain('[dev] stopped');
    expect(first.output()).not.toContain('forced exit');
    expect(existsSync(join(dataDir, 'dev.pids'))).toBe(false);

    // Started again on the same data directory: the cases are where they were. Then Ctrl-C.
    const second = await start(ports);
    const found = (await (await fetch(`${api}/api/v1/system-checks/${checkId}`, { headers: auth })).json()) as {
      workflowStatus: string;
      record: { requestedBy: { subject: string } } | null;
    };
    expect(found.workflowStatus).toBe('COMPLETED');
    expect(found.record?.requestedBy.subject).toBe('pc-dev');

    process.kill(-second.child.pid!, 'SIGINT'); // the terminal signals the whole foreground group
    await waitForExit(second.child);
    await waitUntil(() => (processesOf(dataDir).length === 0 ? true : undefined), { timeoutMs: 30_000, what: 'every process of the run to end' });
    expect(second.output()).toContain('[dev] stopped');
    expect(second.output()).not.toContain('forced exit');
  }, 300_000);
});
