import { Injectable, type OnModuleDestroy, Optional } from '@nestjs/common';
import { RateLimitStore } from '../../modules/platform/access/rate-limit.store.js';
import { AppLogger } from '../../modules/platform/logging/app-logger.js';

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

/**
 * The limits every route counts against: shared by every replica (RateLimitStore, in the case
 * store); should the store not answer, this process's own count, so that a database outage never
 * locks everyone out.
 */
@Injectable()
export class RequestLimits {
  constructor(
    private readonly local: RateLimiter,
    private readonly logger: AppLogger,
    @Optional() private readonly shared?: RateLimitStore,
  ) {}

  /** Counts one use of `key`; says whether it is within `limitPerMinute` and, if not, when to try again. */
  async hit(key: string, limitPerMinute: number): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    if (this.shared) {
      try {
        return await this.shared.hit(key, limitPerMinute);
      } catch (error) {
        this.logger.pino.warn({ context: 'Access', msg: 'shared rate limits unavailable: counting in this process', error: (error as Error).message });
      }
    }
    return this.local.hit(key, limitPerMinute);
  }
}
