import { evenlySpaced, installRateLimitStore, vendorRateLimiter, type RateLimiter } from '../src';
import { MemoryRateLimitStore } from './memory-rate-limit-store';

// The registry is process-wide: each test uses vendor names of its own.

/** Starts `count` acquires at once and resolves with the fake time each was granted, relative to the start. */
async function grantTimes(limiter: RateLimiter, key: string, count: number, advanceMs: number): Promise<number[]> {
  const start = performance.now();
  const granted = Promise.all(Array.from({ length: count }, () => limiter.acquire(key).then(() => performance.now() - start)));
  await jest.advanceTimersByTimeAsync(advanceMs);
  return granted;
}

describe('vendor rate limits', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('spaces an allowance per minute evenly, so no minute sees more than the allowance', async () => {
    const times = await grantTimes(evenlySpaced('spaced', 60), 'system-1', 62, 62_000);
    expect(times.filter((time) => time < 60_000)).toHaveLength(60);
    expect(times.slice(0, 3)).toEqual([0, 1000, 2000]);
  });

  it('is one limiter per vendor and allowance, shared by every client in the process', () => {
    const limiter = evenlySpaced('shared', 60);
    expect(evenlySpaced('shared', 60)).toBe(limiter);
    expect(vendorRateLimiter('shared', { capacity: 1, refillPerSecond: 1 })).toBe(limiter);
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
      expect(await grantTimes(scaled, 'k', 3, 300)).toEqual([0, 100, 200]);
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
