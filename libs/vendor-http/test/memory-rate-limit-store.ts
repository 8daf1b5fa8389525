import type { RateLimitStore } from '../src';

/**
 * A `RateLimitStore` in memory on the test's (fake) clock, shared by several limiters as replicas share Postgres.
 * Each call travels `oneWayMs` to the store and as long back, like a round trip to a slow store.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  oneWayMs = 0;
  /** Every call fails with it while set. */
  failure?: Error;
  /** Each key's theoretical arrival time, on the store's clock. */
  readonly times = new Map<string, number>();

  reserve(key: string, spanMs: number): Promise<number> {
    return this.call(() => {
      const now = performance.now();
      const start = Math.max(this.times.get(key) ?? now, now);
      this.times.set(key, start + spanMs);
      return start - now;
    });
  }

  hold(key: string, forMs: number): Promise<void> {
    return this.call(() => {
      const now = performance.now();
      this.times.set(key, Math.max(this.times.get(key) ?? now, now + forMs));
    });
  }

  private async call<T>(operation: () => T): Promise<T> {
    if (this.oneWayMs > 0) await sleep(this.oneWayMs);
    if (this.failure) throw this.failure;
    const result = operation();
    if (this.oneWayMs > 0) await sleep(this.oneWayMs);
    return result;
  }
}

// The global setTimeout, which Jest's fake timers replace.
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
