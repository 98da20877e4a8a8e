import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { SupervisedProcess } from '../../src/dev/supervised-process.js';

/** Real child processes (Node, doing nothing or failing at once), supervised as the dev command supervises the worker and the API. */
describe('a supervised process', () => {
  const policy = { initialDelayMs: 20, maxDelayMs: 80, crashLimit: 3, windowMs: 10_000 };

  it('is started again after each crash, with a growing delay, until crashes come too fast', async () => {
    const said: string[] = [];
    const starts: number[] = [];
    const supervised = new SupervisedProcess('crasher', () => spawn(process.execPath, ['-e', 'process.exit(3)']), {
      policy,
      say: (line) => said.push(line),
      onStart: () => starts.push(Date.now()),
    });
    const reason = await supervised.gaveUp;
    expect(reason).toBe('crasher exited (code 3): 3 crashes within 10 s, so it is not restarted');
    expect(starts).toHaveLength(3);
    expect(supervised.restarts).toBe(2);
    expect(said.filter((line) => line.includes('restarting in'))).toEqual([
      'crasher exited (code 3); restarting in 0.0 s (crash 1 of 3 allowed within 10 s)',
      'crasher exited (code 3); restarting in 0.0 s (crash 2 of 3 allowed within 10 s)',
    ]);
    // The second restart waited twice as long as the first.
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(40);
  });

  it('is not restarted once asked to stop, and a long-running child is left alone until then', async () => {
    const said: string[] = [];
    const supervised = new SupervisedProcess('sleeper', () => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']), { policy, say: (line) => said.push(line) });
    const pid = supervised.child.pid;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(supervised.child.exitCode).toBeNull();
    await supervised.stop(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(supervised.child.pid).toBe(pid);
    expect(supervised.restarts).toBe(0);
    expect(said).toEqual(['sleeper stopped (SIGTERM)']);
  });
});
