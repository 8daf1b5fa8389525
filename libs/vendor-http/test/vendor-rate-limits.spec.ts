import { bucketWithMargin, evenlySpaced, installRateLimitStore, vendorRateLimiter, type RateLimiter } from '../src';
import { WINDOW_MARGIN } from '../src/vendor-rate-limits';
import { MemoryRateLimitStore } from './memory-rate-limit-store';

// The registry is process-wide: each test uses vendor names of its own.

/** Starts `count` acquires at once and resolves with the fake time each was granted, relative to the start. */
async function grantTimes(limiter: RateLimiter, key: string, count: number, advanceMs: number): Promise<number[]> {
  const start = performance.now();
  const granted = Promise.all(Array.from({ length: count }, () => limiter.acquire(key).then(() => performance.now() - start)));
  await jest.advanceTimersByTimeAsync(advanceMs);
  return granted;
}

/**
 * How many calls a vendor refuses that counts `limit` calls per window, a window opening at the first call after the
 * last one ended (the MiniCRM sandbox's reading of "60 requests a minute").
 */
function refusedByFixedWindow(arrivals: number[], limit: number, windowMs: number): number {
  let opened = -Infinity;
  let used = 0;
  let refused = 0;
  for (const arrival of [...arrivals].sort((a, b) => a - b)) {
    if (arrival >= opened + windowMs) [opened, used] = [arrival, 0];
    if (used < limit) used += 1;
    else refused += 1;
  }
  return refused;
}

/** How many calls a vendor refuses that keeps a token bucket of `capacity`, refilled `perSecond` (RetailCRM's 10 a second). */
function refusedByTokenBucket(arrivals: number[], capacity: number, perSecond: number): number {
  let tokens = capacity;
  let last = 0;
  let refused = 0;
  for (const arrival of [...arrivals].sort((a, b) => a - b)) {
    tokens = Math.min(capacity, tokens + ((arrival - last) * perSecond) / 1000);
    last = arrival;
    if (tokens >= 1) tokens -= 1;
    else refused += 1;
  }
  return refused;
}

/** A different delay on the way to the vendor for each call, spread evenly over [0, maxMs) in a scrambled order. */
const delays = (count: number, maxMs: number) => Array.from({ length: count }, (_, n) => (((n * 613) % 1000) / 1000) * maxMs);

describe('vendor rate limits', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('spreads an allowance per minute evenly over a minute and its margin', async () => {
    const times = await grantTimes(evenlySpaced('spaced', 60), 'system-1', 121, 125_000);
    expect(times.slice(0, 3)).toEqual([0, 1030, 2060]);
    // Timers fire on whole milliseconds: a grant may round up by one.
    times.slice(60).forEach((time, n) => expect(time - times[n]).toBeGreaterThanOrEqual(60_000 * (1 + WINDOW_MARGIN) - 1));
  });

  describe('against a vendor that counts a fixed window from the first call', () => {
    const calls = 200; // over three windows
    // Each call arrives up to just under the margin late: the call that opens a window may be the latest of all.
    const arrivalDelays = delays(calls, 60_000 * WINDOW_MARGIN - 2);

    it('would be refused calls if spaced exactly at the allowance (what the margin is for)', () => {
      const exact = Array.from({ length: calls }, (_, n) => n * 1000 + arrivalDelays[n]);
      expect(refusedByFixedWindow(exact, 60, 60_000)).toBeGreaterThan(0);
    });

    it('never puts more than the allowance into one window, paced in this process', async () => {
      const times = await grantTimes(evenlySpaced('windowed', 60), 'system-1', calls, 210_000);
      expect(refusedByFixedWindow(times.map((time, n) => time + arrivalDelays[n]), 60, 60_000)).toBe(0);
    });

    it('never puts more than the allowance into one window, paced on a shared store with round trips', async () => {
      const store = new MemoryRateLimitStore();
      store.oneWayMs = 3;
      const uninstall = installRateLimitStore('windowed-shared', store);
      const times = await grantTimes(evenlySpaced('windowed-shared', 60), 'system-1', calls, 210_000);
      uninstall();
      expect(refusedByFixedWindow(times.map((time, n) => time + arrivalDelays[n]), 60, 60_000)).toBe(0);
    });
  });

  describe('against a vendor that keeps a token bucket', () => {
    const calls = 200;
    // Each call arrives up to just under one refill interval (100 ms) late, the opening burst latest of all: the
    // vendor's bucket, full (capped) while the burst travels, gains nothing for that wait, which Junction's counted.
    const arrivalDelays = delays(calls, 95).map((delay, n) => (n < 10 ? 95 : delay));

    it('would be refused calls if paced exactly at the documented bucket (what the margin is for)', async () => {
      const times = await grantTimes(vendorRateLimiter('bucket-exact', { capacity: 10, refillPerSecond: 10 }), 'key-1', calls, 25_000);
      expect(refusedByTokenBucket(times.map((time, n) => time + arrivalDelays[n]), 10, 10)).toBeGreaterThan(0);
    });

    it('is never refused a call when paced with the margin', async () => {
      const times = await grantTimes(bucketWithMargin('bucket-margin', { capacity: 10, refillPerSecond: 10 }), 'key-1', calls, 25_000);
      expect(refusedByTokenBucket(times.map((time, n) => time + arrivalDelays[n]), 10, 10)).toBe(0);
    });
  });

  it('is one limiter per vendor and allowance, shared by every client in the process', () => {
    const limiter = evenlySpaced('shared', 60);
    expect(evenlySpaced('shared', 60)).toBe(limiter);
    expect(vendorRateLimiter('shared', { capacity: 2, refillPerSecond: 1 })).toBe(vendorRateLimiter('shared', { capacity: 2, refillPerSecond: 1 }));
    expect(vendorRateLimiter('shared', { capacity: 2, refillPerSecond: 1 })).not.toBe(limiter);
    expect(evenlySpaced('shared', 120)).not.toBe(limiter);
    expect(evenlySpaced('other', 60)).not.toBe(limiter);
  });

  it("paces on the vendor's installed store, and in this process again once it is uninstalled", async () => {
    const limiter = vendorRateLimiter('installed', { capacity: 1, refillPerSecond: 10 });
    const store = new MemoryRateLimitStore();
    const uninstall = installRateLimitStore('installed', store);
    await grantTimes(limiter, 'key-1', 2, 200);
    expect([...store.times.keys()]).toEqual(['key-1']);

    uninstall();
    await grantTimes(limiter, 'key-2', 2, 200);
    expect([...store.times.keys()]).toEqual(['key-1']);
  });

  it('shares one schedule per credential between allowances, so replicas that disagree on a setting never add up', async () => {
    const uninstall = installRateLimitStore('resized', new MemoryRateLimitStore());
    const granted: number[] = [];
    for (const limiter of [evenlySpaced('resized', 600), evenlySpaced('resized', 300)]) {
      for (let call = 0; call < 3; call++) void limiter.acquire('system-1').then(() => granted.push(performance.now()));
    }
    await jest.advanceTimersByTimeAsync(2000);
    uninstall();
    expect(granted).toHaveLength(6);
    const all = granted.sort((a, b) => a - b);
    all.slice(1).forEach((time, n) => expect(time - all[n]).toBeGreaterThanOrEqual(100));
  });

  describe('VENDOR_RATE_LIMIT_SCALE', () => {
    afterEach(() => {
      delete process.env.VENDOR_RATE_LIMIT_SCALE;
    });

    it('multiplies the rate of every allowance made while it is set, for benchmarks against scaled sandboxes', async () => {
      process.env.VENDOR_RATE_LIMIT_SCALE = '10';
      const scaled = evenlySpaced('bench', 60);
      const times = await grantTimes(scaled, 'k', 3, 300);
      // 103 ms apart (a tenth of 1.03 s), each within the timer's millisecond.
      times.forEach((time, n) => expect(time - n * 103).toBeGreaterThanOrEqual(0));
      times.forEach((time, n) => expect(time - n * 103).toBeLessThanOrEqual(2));
      delete process.env.VENDOR_RATE_LIMIT_SCALE;
      expect(evenlySpaced('bench', 60)).not.toBe(scaled);
    });

    it('refuses a value that is not a positive number', () => {
      for (const value of ['0', '-2', 'fast', 'Infinity']) {
        process.env.VENDOR_RATE_LIMIT_SCALE = value;
        expect(() => evenlySpaced('bench', 60)).toThrow(`VENDOR_RATE_LIMIT_SCALE must be a positive number, got "${value}"`);
      }
    });
  });

  it('uses the latest store installed for a vendor and falls back to the one before, never to another vendor', async () => {
    const limiter = vendorRateLimiter('stacked', { capacity: 1, refillPerSecond: 10 });
    const [first, second, elsewhere] = [new MemoryRateLimitStore(), new MemoryRateLimitStore(), new MemoryRateLimitStore()];
    const uninstallFirst = installRateLimitStore('stacked', first);
    const uninstallSecond = installRateLimitStore('stacked', second);
    const uninstallElsewhere = installRateLimitStore('unrelated', elsewhere);

    await grantTimes(limiter, 'a', 1, 100);
    uninstallSecond();
    await grantTimes(limiter, 'b', 1, 100);
    uninstallFirst();
    uninstallElsewhere();

    expect([...second.times.keys()]).toEqual(['a']);
    expect([...first.times.keys()]).toEqual(['b']);
    expect(elsewhere.times.size).toBe(0);
  });
});
