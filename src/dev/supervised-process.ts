import { type ChildProcess } from 'node:child_process';
import { stopChild } from '../modules/platform/process/child-process.js';

export interface RestartPolicy {
  /** Wait before the first restart; each further crash in the window doubles it, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** This many crashes within `windowMs` is not a crash but a fault: the supervisor gives up. */
  crashLimit: number;
  windowMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 8_000, crashLimit: 5, windowMs: 60_000 };

/**
 * A child process kept running: when it exits without being asked to, it is started again after a
 * backoff, and the restart is logged. Repeated crashes in a short window mean something is wrong
 * that a restart will not mend; then `gaveUp` resolves, with the reason, and the child stays down.
 */
export class SupervisedProcess {
  private current: ChildProcess;
  private readonly crashes: number[] = [];
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private giveUp!: (reason: string) => void;
  readonly gaveUp = new Promise<string>((resolve) => (this.giveUp = resolve));

  constructor(
    readonly name: string,
    private readonly start: () => ChildProcess,
    private readonly options: { policy?: RestartPolicy; say: (line: string) => void; onStart?: (child: ChildProcess) => void },
  ) {
    this.current = this.launch();
    this.options.onStart?.(this.current);
  }

  get child(): ChildProcess {
    return this.current;
  }

  /** How many times the child has been started again after a crash. */
  restarts = 0;

  private launch(): ChildProcess {
    const child = this.start();
    child.once('exit', (code, signal) => this.exited(code, signal));
    return child;
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ?? `code ${code}`;
    if (this.stopping) {
      this.options.say(`${this.name} stopped (${how})`);
      return;
    }
    const policy = this.options.policy ?? defaultRestartPolicy;
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && this.crashes[0] <= now - policy.windowMs) this.crashes.shift();
    if (this.crashes.length >= policy.crashLimit) {
      const reason = `${this.name} exited (${how}): ${this.crashes.length} crashes within ${policy.windowMs / 1000} s, so it is not restarted`;
      this.options.say(reason);
      this.giveUp(reason);
      return;
    }
    const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (this.crashes.length - 1));
    this.options.say(`${this.name} exited (${how}); restarting in ${(delay / 1000).toFixed(1)} s (crash ${this.crashes.length} of ${policy.crashLimit} allowed within ${policy.windowMs / 1000} s)`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.stopping) return;
      this.restarts += 1;
      this.current = this.launch();
      this.options.onStart?.(this.current);
      this.options.say(`${this.name} restarted (pid ${this.current.pid})`);
    }, delay);
  }

  /** Stops the child (SIGTERM, then SIGKILL after the grace period) and never restarts it. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await stopChild(this.current, graceMs);
  }
}
