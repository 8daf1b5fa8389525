import type { SandboxRequest } from './http/request';
import type { RateLimitPolicy } from './control-schemas';

/** One limit of a vendor, e.g. RepairShopr's 180 requests a minute, or MiniCRM's separate R3 and SyncFeed limits. */
export interface RateLimitRule {
  name: string;
  policy: RateLimitPolicy;
  /** Which API requests count against this limit; all of them when absent. */
  appliesTo?: (request: SandboxRequest) => boolean;
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface WindowState {
  startMs: number;
  used: number;
}

interface BucketState {
  tokens: number;
  updatedMs: number;
}

/** Counts calls per credential key under one policy, at their arrival on the sandbox clock. */
export class RateLimiter {
  private readonly windows = new Map<string, WindowState>();
  private readonly buckets = new Map<string, BucketState>();

  constructor(readonly policy: RateLimitPolicy) {}

  take(key: string, nowMs: number): RateLimitDecision {
    switch (this.policy.kind) {
      case 'off':
        return { allowed: true };
      case 'fixed-window':
        return this.takeFromWindow(key, nowMs, this.policy.limit, this.policy.windowMs);
      case 'token-bucket':
        return this.takeFromBucket(key, nowMs, this.policy.capacity, this.policy.refillPerSecond);
    }
  }

  /** A window opens at a key's first call and lasts `windowMs`; calls beyond `limit` wait for the next one. */
  private takeFromWindow(key: string, nowMs: number, limit: number, windowMs: number): RateLimitDecision {
    let window = this.windows.get(key);
    if (!window || nowMs >= window.startMs + windowMs) {
      window = { startMs: nowMs, used: 0 };
      this.windows.set(key, window);
    }
    if (window.used < limit) {
      window.used += 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.startMs + windowMs - nowMs) / 1000)) };
  }

  private takeFromBucket(key: string, nowMs: number, capacity: number, refillPerSecond: number): RateLimitDecision {
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedMs: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * refillPerSecond);
    bucket.updatedMs = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)) };
  }
}
