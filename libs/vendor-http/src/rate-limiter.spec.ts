import { TokenBucket } from './rate-limiter';

/** Starts `count` acquires at once and resolves with the time each was granted, relative to the start. */
async function grantTimes(bucket: TokenBucket, key: string, count: number, run: () => Promise<void>): Promise<number[]> {
  const start = performance.now();
  const granted = Promise.all(Array.from({ length: count }, () => bucket.acquire(key).then(() => performance.now() - start)));
  await run();
  return granted;
}

describe('TokenBucket', () => {
  describe('on a fake clock', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('grants 10 acquires at 20/s with capacity 1 exactly 50 ms apart', async () => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 20 });
      const times = await grantTimes(bucket, 'k', 10, () => jest.advanceTimersByTimeAsync(1000));
      expect(times).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
    });

    it('keeps the rate when every timer fires a little late', async () => {
      const fakeSetTimeout = global.setTimeout;
      global.setTimeout = ((callback: () => void, ms = 0) => fakeSetTimeout(callback, ms + 3)) as typeof setTimeout;
      try {
        const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 20 });
        const times = await grantTimes(bucket, 'k', 20, () => jest.advanceTimersByTimeAsync(2000));
        // Capped at one token, 3 ms per timer would make the 20th go at 19 * 53 = 1007 ms.
        expect(times.at(-1)).toBe(19 * 50 + 3);
        times.slice(1).forEach((time, n) => expect(time - times[n]).toBeGreaterThanOrEqual(50 - 3));
      } finally {
        global.setTimeout = fakeSetTimeout;
      }
    });

    it('lets a burst of `capacity` through at once, then sustains exactly the refill rate', async () => {
      const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 });
      const times = await grantTimes(bucket, 'k', 7, () => jest.advanceTimersByTimeAsync(5000));
      expect(times).toEqual([0, 0, 0, 500, 1000, 1500, 2000]);
    });

    it('holds every caller of a penalized key until Retry-After has passed, and no other key', async () => {
      const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1000 });
      bucket.penalize('vendor-key', 120);
      const penalized = grantTimes(bucket, 'vendor-key', 3, async () => undefined);
      const other = grantTimes(bucket, 'other-key', 1, async () => undefined);
      await jest.advanceTimersByTimeAsync(200);
      expect(await other).toEqual([0]);
      // Refilling went on during the penalty, so the three go together when it ends.
      expect(await penalized).toEqual([120, 120, 120]);
    });

    it('moves waiters already queued to the end of a penalty that arrives later', async () => {
      const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 100 });
      await bucket.acquire('k');
      const waiting = bucket.acquire('k');
      bucket.penalize('k', 80);
      await jest.advanceTimersByTimeAsync(100);
      expect(await waiting).toBe(80);
    });

    it('empties the bucket on a penalty, so callers trickle back at the refill rate', async () => {
      const bucket = new TokenBucket({ capacity: 10, refillPerSecond: 50 });
      bucket.penalize('k', 0);
      const times = await grantTimes(bucket, 'k', 3, () => jest.advanceTimersByTimeAsync(100));
      expect(times).toEqual([20, 40, 60]);
    });
  });

  it('paces 10 real acquires at 20/s with capacity 1 to about 450 ms', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 20 });
    const times = await grantTimes(bucket, 'credential-a', 10, async () => undefined);
    // Never early: the n-th grant comes no sooner than n refill intervals. The upper bound is loose
    // because a loaded machine (CI, nx running lint and build alongside) fires timers late.
    times.forEach((grantedAt, n) => expect(grantedAt).toBeGreaterThanOrEqual(n * 50 - 1));
    expect(times[9]).toBeLessThan(1500);
  });

  it('keeps credentials apart', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 2 });
    await bucket.acquire('a');
    expect(await bucket.acquire('b')).toBeLessThan(50);
  });

  it('serves waiters in arrival order, even a cheap one behind an expensive one', async () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 40 });
    await bucket.acquire('k', 2);
    const order: string[] = [];
    await Promise.all([
      bucket.acquire('k', 2).then(() => order.push('expensive')),
      bucket.acquire('k', 1).then(() => order.push('cheap')),
    ]);
    expect(order).toEqual(['expensive', 'cheap']);
  });

  it('refuses a cost the bucket can never hold, and a nonsensical configuration', async () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 });
    await expect(bucket.acquire('k', 3)).rejects.toThrow(RangeError);
    await expect(bucket.acquire('k', 0)).rejects.toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(RangeError);
  });
});
