import { RateLimitStoreError, SharedTokenBucket, type SharedTokenBucketOptions } from '../src';
import { MemoryRateLimitStore } from './memory-rate-limit-store';

// Replicas are SharedTokenBucket instances on one MemoryRateLimitStore, all on Jest's fake clock.

function replica(store: MemoryRateLimitStore, options: Partial<SharedTokenBucketOptions> = {}): SharedTokenBucket {
  return new SharedTokenBucket(store, { name: 'minicrm', capacity: 1, refillPerSecond: 20, ...options });
}

/** Starts `count` acquires at once; resolves with the fake time each was granted at. */
function grantTimes(bucket: SharedTokenBucket, key: string, count: number): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => bucket.acquire(key).then(() => performance.now())));
}

/** The most grants in any window of `windowMs` (half-open: [t, t + windowMs)). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.max(...sorted.map((start) => sorted.filter((time) => time >= start && time < start + windowMs).length));
}

describe('SharedTokenBucket', () => {
  let store: MemoryRateLimitStore;
  let t0: number;

  beforeEach(() => {
    jest.useFakeTimers();
    store = new MemoryRateLimitStore();
    t0 = performance.now();
  });
  afterEach(() => jest.useRealTimers());

  const since = (times: number[]) => times.map((time) => time - t0);

  it('grants 10 acquires at 20/s with capacity 1 exactly 50 ms apart', async () => {
    const times = grantTimes(replica(store), 'system-1', 10);
    await jest.advanceTimersByTimeAsync(1000);
    expect(since(await times)).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
  });

  it('lets a burst of `capacity` through at once, then sustains exactly the rate', async () => {
    const times = grantTimes(replica(store, { capacity: 3, refillPerSecond: 2 }), 'k', 7);
    await jest.advanceTimersByTimeAsync(5000);
    expect(since(await times)).toEqual([0, 0, 0, 500, 1000, 1500, 2000]);
  });

  it('keeps credentials apart', async () => {
    const bucket = replica(store, { refillPerSecond: 1 });
    const first = grantTimes(bucket, 'a', 2);
    const other = grantTimes(bucket, 'b', 1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(since(await first)).toEqual([0, 1000]);
    expect(since(await other)).toEqual([0]);
  });

  it('never lets two replicas together exceed the rate, and shares it between them', async () => {
    const a = grantTimes(replica(store), 'system-1', 30);
    const b = grantTimes(replica(store), 'system-1', 30);
    await jest.advanceTimersByTimeAsync(3000);
    const [timesA, timesB] = [since(await a), since(await b)];
    const all = [...timesA, ...timesB].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 60 }, (_, n) => n * 50));
    // Each books one look-ahead at a time, so they take turns instead of one draining its queue first.
    expect(timesA.filter((time) => time < 1000).length).toBeGreaterThanOrEqual(8);
    expect(timesB.filter((time) => time < 1000).length).toBeGreaterThanOrEqual(8);
  });

  it('stays within the rate when the store is slow, and loses no more than its slowness', async () => {
    store.oneWayMs = 40;
    const granted: number[] = [];
    for (let n = 0; n < 3; n++) {
      const bucket = replica(store, { capacity: 2 });
      for (let call = 0; call < 30; call++) void bucket.acquire('k').then(() => granted.push(performance.now() - t0));
    }
    await jest.advanceTimersByTimeAsync(2000);
    expect(busiestWindow(granted, 1000)).toBeLessThanOrEqual(20 + 2);
    // 2 s at 20/s and a burst of 2 make 42; the first round trip (80 ms) costs about two, then booking ahead hides it.
    expect(granted.length).toBeGreaterThanOrEqual(38);
    await jest.advanceTimersByTimeAsync(3000);
  });

  it('after a stalled event loop, sends what fell due meanwhile at the allowed rate, not at once', async () => {
    // The event loop stalls from 120 to 300 ms: every timer due then fires at its end.
    const fakeSetTimeout = global.setTimeout;
    const stalled = (callback: () => void, ms = 0) => {
      const firesAt = performance.now() - t0 + ms;
      return fakeSetTimeout(callback, firesAt >= 120 && firesAt < 300 ? 300 - (performance.now() - t0) : ms);
    };
    global.setTimeout = stalled as typeof setTimeout;
    try {
      const times = grantTimes(replica(store), 'k', 10);
      await jest.advanceTimersByTimeAsync(1000);
      const granted = since(await times);
      // The caller due at 150 goes at 300; the one due at 200 catches up half an interval, then the rate holds.
      expect(granted).toEqual([0, 50, 100, 300, 325, 375, 425, 475, 525, 575]);
    } finally {
      global.setTimeout = fakeSetTimeout;
    }
  });

  it('keeps the rate when every timer fires a little late', async () => {
    const fakeSetTimeout = global.setTimeout;
    global.setTimeout = ((callback: () => void, ms = 0) => fakeSetTimeout(callback, ms + 3)) as typeof setTimeout;
    try {
      const times = grantTimes(replica(store), 'k', 20);
      await jest.advanceTimersByTimeAsync(2000);
      const granted = since(await times);
      // Carried forward, 3 ms per timer would make the 20th go at 19 * 53 = 1007 ms.
      expect(granted.at(-1)).toBe(19 * 50 + 3);
      granted.slice(1).forEach((time, n) => expect(time - granted[n]).toBeGreaterThanOrEqual(50 - 3));
    } finally {
      global.setTimeout = fakeSetTimeout;
    }
  });

  it('holds every replica for Retry-After after a 429, then restarts from empty', async () => {
    const a = replica(store, { capacity: 3, refillPerSecond: 10 });
    const b = replica(store, { capacity: 3, refillPerSecond: 10 });
    a.penalize('k', 1000);
    const times = Promise.all([grantTimes(a, 'k', 2), grantTimes(b, 'k', 2)]);
    await jest.advanceTimersByTimeAsync(2000);
    const [timesA, timesB] = (await times).map(since);
    expect([...timesA, ...timesB].sort((x, y) => x - y)).toEqual([1000, 1100, 1200, 1300]);
  });

  it('gives up the slots this replica booked before the 429; the other replica keeps at most one look-ahead', async () => {
    const a = replica(store, { refillPerSecond: 10 });
    const b = replica(store, { refillPerSecond: 10 });
    const times = Promise.all([grantTimes(a, 'k', 10), grantTimes(b, 'k', 10)]);
    await jest.advanceTimersByTimeAsync(450);
    a.penalize('k', 1000);
    const penalizedAt = performance.now() - t0;
    await jest.advanceTimersByTimeAsync(5000);
    const [timesA, timesB] = (await times).map(since);
    expect(timesA.filter((time) => time > penalizedAt && time < penalizedAt + 1000)).toEqual([]);
    // b keeps what it had booked: its next slot, and the one after that it books a look-ahead before the next is due.
    expect(timesB.filter((time) => time > penalizedAt && time < penalizedAt + 1000)).toEqual([500, 700]);
    const after = [...timesA, ...timesB].filter((time) => time >= penalizedAt + 1000).sort((x, y) => x - y);
    expect(after).toEqual(Array.from({ length: 13 }, (_, n) => 1450 + n * 100));
  });

  it('rejects waiting callers with a clear error when the store fails, and recovers with it', async () => {
    store.failure = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const bucket = replica(store);
    const failed = bucket.acquire('k').catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(0);
    const error = await failed;
    expect(error).toBeInstanceOf(RateLimitStoreError);
    expect((error as Error).message).toBe(
      'the shared rate limit of minicrm is unavailable, so the request was not sent: connect ECONNREFUSED 127.0.0.1:5432',
    );

    store.failure = undefined;
    const times = grantTimes(bucket, 'k', 2);
    await jest.advanceTimersByTimeAsync(100);
    expect(since(await times)).toEqual([0, 50]);
  });

  it('writes a 429 the store missed before the next caller books a slot', async () => {
    store.failure = new Error('timeout');
    const bucket = replica(store);
    const waiting = bucket.acquire('k').catch((error: unknown) => error);
    bucket.penalize('k', 500);
    await jest.advanceTimersByTimeAsync(0);
    expect(await waiting).toBeInstanceOf(RateLimitStoreError);

    store.failure = undefined;
    const other = replica(store);
    const times = Promise.all([grantTimes(bucket, 'k', 1), grantTimes(other, 'k', 1)]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(since((await times).flat()).sort((x, y) => x - y)).toEqual([500, 550]);
  });

  it('refuses a cost it can never grant, and a nonsensical configuration', async () => {
    await expect(replica(store, { capacity: 2 }).acquire('k', 3)).rejects.toThrow(RangeError);
    await expect(replica(store).acquire('k', 0)).rejects.toThrow(RangeError);
    expect(() => replica(store, { capacity: 0 })).toThrow(RangeError);
    expect(() => replica(store, { refillPerSecond: 0 })).toThrow(RangeError);
  });
});
