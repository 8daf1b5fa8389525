export interface RateLimiter {
  /** Resolves once `cost` requests may be sent for `key`, with the milliseconds waited. */
  acquire(key: string, cost?: number): Promise<number>;
  /** The vendor answered 429: hold every caller for `key` until `retryAfterMs` from now has passed. */
  penalize(key: string, retryAfterMs: number): void;
}

export interface TokenBucketOptions {
  /** Requests that may go out at once after a quiet period. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
}

interface Waiter {
  cost: number;
  enqueuedAt: number;
  resolve: (waitedMs: number) => void;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
  waiters: Waiter[];
  timer?: NodeJS.Timeout;
}

// Floating-point refill can land a hair below a whole token exactly when the timer fires.
const EPSILON = 1e-9;

/**
 * What a bucket with waiters may hold beyond its capacity: a waiter whose timer fired late keeps up to half a token of
 * what accrued meanwhile, so the next follows sooner. Capped at the capacity, every late timer would slow a bucket of
 * one for good (10 ms slots ran 14 % slow); half a token is within what the pacing margins absorb.
 */
const CATCH_UP_TOKENS = 0.5;

/**
 * In-memory token bucket per key (one key per credential). Waiters are served strictly in arrival order,
 * each bucket sleeps on a single timer until its head waiter can go, and tokens refill continuously, so
 * the sustained rate is `refillPerSecond` however late timers fire.
 */
export class TokenBucket implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
      throw new RangeError('TokenBucket needs capacity >= 1 and refillPerSecond > 0');
    }
  }

  async acquire(key: string, cost = 1): Promise<number> {
    if (!(cost > 0 && cost <= this.options.capacity)) {
      throw new RangeError(`cost must be in (0, ${this.options.capacity}], got ${cost}`);
    }
    const bucket = this.bucket(key);
    // What accrued before anyone waited stops at the capacity.
    this.refill(bucket, performance.now());
    return new Promise<number>((resolve) => {
      bucket.waiters.push({ cost, enqueuedAt: performance.now(), resolve });
      this.serve(bucket);
    });
  }

  penalize(key: string, retryAfterMs: number): void {
    const bucket = this.bucket(key);
    const now = performance.now();
    this.refill(bucket, now);
    // The vendor says our allowance is spent: start refilling from empty.
    bucket.tokens = 0;
    bucket.blockedUntil = Math.max(bucket.blockedUntil, now + Math.max(0, retryAfterMs));
    this.serve(bucket);
  }

  private serve(bucket: Bucket): void {
    clearTimeout(bucket.timer);
    bucket.timer = undefined;
    const now = performance.now();
    this.refill(bucket, now);
    while (bucket.waiters.length > 0) {
      const head = bucket.waiters[0];
      const blockedMs = bucket.blockedUntil - now;
      const shortMs = ((head.cost - bucket.tokens) / this.options.refillPerSecond) * 1000;
      if (blockedMs <= 0 && bucket.tokens + EPSILON >= head.cost) {
        bucket.tokens = Math.max(0, bucket.tokens - head.cost);
        bucket.waiters.shift();
        head.resolve(now - head.enqueuedAt);
        continue;
      }
      bucket.timer = setTimeout(() => this.serve(bucket), Math.max(1, Math.ceil(Math.max(blockedMs, shortMs))));
      return;
    }
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsedSeconds = (now - bucket.refilledAt) / 1000;
    const limit = this.options.capacity + (bucket.waiters.length > 0 ? CATCH_UP_TOKENS : 0);
    bucket.tokens = Math.min(limit, bucket.tokens + elapsedSeconds * this.options.refillPerSecond);
    bucket.refilledAt = now;
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.options.capacity, refilledAt: performance.now(), blockedUntil: 0, waiters: [] };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
