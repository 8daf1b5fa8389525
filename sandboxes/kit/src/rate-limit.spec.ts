import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('fixed window: allows the limit per key, then tells how long until the window ends', () => {
    const limiter = new RateLimiter({ kind: 'fixed-window', limit: 3, windowMs: 60_000, retryAfter: true });
    const start = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('token:1', start).allowed)).toEqual([true, true, true]);
    expect(limiter.take('token:1', start + 15_500)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take('token:2', start + 15_500).allowed).toBe(true);
    expect(limiter.take('token:1', start + 60_000).allowed).toBe(true);
  });

  it('token bucket: spends a burst, then refills at the given rate', () => {
    const limiter = new RateLimiter({ kind: 'token-bucket', capacity: 2, refillPerSecond: 0.5, retryAfter: true });
    expect(limiter.take('k', 0).allowed).toBe(true);
    expect(limiter.take('k', 0).allowed).toBe(true);
    expect(limiter.take('k', 0)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(limiter.take('k', 2_000).allowed).toBe(true);
    expect(limiter.take('k', 2_000).allowed).toBe(false);
  });

  it('off: never refuses', () => {
    const limiter = new RateLimiter({ kind: 'off' });
    expect(Array.from({ length: 1000 }, () => limiter.take('k', 0).allowed).every(Boolean)).toBe(true);
  });
});
