import { Injectable, type OnModuleDestroy } from '@nestjs/common';

interface Window {
  startedAt: number;
  count: number;
}

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per key, in this API process's memory: what the access guard counts
 * against when the shared limits (RateLimitStore, in the case store, one limit for every replica)
 * cannot be reached, and all it has where no database is wired (a probe module in a test).
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(), WINDOW_MS).unref();

  /** Counts one use; says whether it is within the limit and, if not, when to try again. */
  hit(key: string, limitPerMinute: number, now = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    const window = this.current(key, now);
    window.count += 1;
    return { allowed: window.count <= limitPerMinute, retryAfterSeconds: this.retryAfter(window, now) };
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  private current(key: string, now: number): Window {
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    return window;
  }

  private retryAfter(window: Window, now: number): number {
    return Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
  }

  private sweep(now = Date.now()): void {
    for (const [key, window] of this.windows) if (now - window.startedAt >= WINDOW_MS) this.windows.delete(key);
  }
}
