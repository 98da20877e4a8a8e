import { afterEach, describe, expect, it } from '@jest/globals';
import { RateLimiter } from '../../src/api/access/rate-limiter.js';

describe('rate limiter', () => {
  const limiter = new RateLimiter();
  afterEach(() => limiter.onModuleDestroy());

  it('allows the limit within a minute, refuses the next use, and says when to retry', () => {
    const start = 1_000_000;
    for (let use = 1; use <= 3; use += 1) expect(limiter.hit('intake:pc-1', 3, start + use - 1).allowed).toBe(true);
    const refused = limiter.hit('intake:pc-1', 3, start + 20_000);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 40 });
  });

  it('counts each key apart and starts afresh after the window', () => {
    const start = 5_000_000;
    expect(limiter.hit('a', 1, start).allowed).toBe(true);
    expect(limiter.hit('b', 1, start).allowed).toBe(true);
    expect(limiter.hit('a', 1, start + 1).allowed).toBe(false);
    expect(limiter.hit('a', 1, start + 60_000).allowed).toBe(true);
  });
});
