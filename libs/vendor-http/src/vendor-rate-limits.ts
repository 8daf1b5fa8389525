import { z } from 'zod';
import { TokenBucket, type RateLimiter, type TokenBucketOptions } from './rate-limiter';
import { SharedTokenBucket, type RateLimitStore } from './shared-rate-limiter';

const RateLimitScale = z.coerce.number().positive().finite().default(1);

/**
 * `VENDOR_RATE_LIMIT_SCALE` (default 1) multiplies every allowance, for `npm run bench` against sandboxes whose limits
 * are scaled by the same factor; against a real vendor anything above 1 exceeds its limit. Read when a limiter is made.
 */
function rateLimitScale(): number {
  const text = process.env.VENDOR_RATE_LIMIT_SCALE || undefined;
  const scale = RateLimitScale.safeParse(text);
  if (!scale.success) throw new RangeError(`VENDOR_RATE_LIMIT_SCALE must be a positive number, got "${text}"`);
  return scale.data;
}

const installed = new Map<string, RateLimitStore[]>();

/**
 * Makes every allowance of `vendor` in this process shared through `store` (the connector runtime installs its
 * Postgres store at start, so all replicas of the connector pace one schedule per credential). The latest store
 * installed is used; the returned function uninstalls this one (tests run two runtimes of a connector in a process).
 */
export function installRateLimitStore(vendor: string, store: RateLimitStore): () => void {
  installed.set(vendor, [...(installed.get(vendor) ?? []), store]);
  return () => {
    const others = (installed.get(vendor) ?? []).filter((candidate) => candidate !== store);
    if (others.length > 0) installed.set(vendor, others);
    else installed.delete(vendor);
  };
}

/** One vendor allowance: on the vendor's shared store when one is installed, else in this process only. */
class VendorAllowance implements RateLimiter {
  private readonly local: TokenBucket;
  private readonly shared = new WeakMap<RateLimitStore, SharedTokenBucket>();

  constructor(
    private readonly vendor: string,
    private readonly allowance: TokenBucketOptions,
  ) {
    this.local = new TokenBucket(allowance);
  }

  acquire(key: string, cost?: number): Promise<number> {
    return this.limiter().acquire(key, cost);
  }

  penalize(key: string, retryAfterMs: number): void {
    this.limiter().penalize(key, retryAfterMs);
  }

  private limiter(): RateLimiter {
    const store = installed.get(this.vendor)?.at(-1);
    if (!store) return this.local;
    let bucket = this.shared.get(store);
    if (!bucket) {
      bucket = new SharedTokenBucket(store, { ...this.allowance, name: this.vendor });
      this.shared.set(store, bucket);
    }
    return bucket;
  }
}

const allowances = new Map<string, VendorAllowance>();

/**
 * The limiter of a vendor's documented allowance per credential (keyed by the client's `rateLimitKey`): one instance
 * per vendor and allowance, shared by every client in the process, and by every replica once the connector runtime
 * installed the vendor's store. A credential has one schedule in the store whatever the allowance, so replicas that
 * briefly disagree on a setting (a changed `requestsPerMinute`) still never add up their allowances. The rate is
 * multiplied by `VENDOR_RATE_LIMIT_SCALE`.
 */
export function vendorRateLimiter(vendor: string, allowance: TokenBucketOptions): RateLimiter {
  const scaled = { capacity: allowance.capacity, refillPerSecond: allowance.refillPerSecond * rateLimitScale() };
  const name = `${vendor}|${scaled.capacity}|${scaled.refillPerSecond}`;
  let limiter = allowances.get(name);
  if (!limiter) {
    limiter = new VendorAllowance(vendor, scaled);
    allowances.set(name, limiter);
  }
  return limiter;
}

/**
 * How much longer than the vendor's window an evenly spaced allowance takes to spend: 3 %, 1.8 s of a minute. Each call
 * reaches the vendor after a delay of its own (a timer firing late, the shared schedule's round trip, the network).
 * Spaced exactly, a call that opened the vendor's window and arrived late would share that window with the call an
 * allowance later that arrived on time: one call too many, a 429 (MiniCRM's, in the bench). With the margin, calls an
 * allowance apart are a window plus the margin apart, so delays that differ by less than the margin never put more
 * than the allowance into one window, wherever the vendor starts it.
 */
export const WINDOW_MARGIN = 0.03;

/**
 * An allowance of `requestsPerMinute` per credential, spaced evenly (a bucket of one) over a minute and
 * `WINDOW_MARGIN`: a vendor that counts a fixed or sliding minute never sees more than the allowance in one, where a
 * bucket the size of the allowance could send two minutes' worth across a window boundary.
 */
export function evenlySpaced(vendor: string, requestsPerMinute: number): RateLimiter {
  return vendorRateLimiter(vendor, { capacity: 1, refillPerSecond: requestsPerMinute / (60 * (1 + WINDOW_MARGIN)) });
}

/**
 * A vendor's documented token bucket (a burst of `capacity`, then `refillPerSecond`), paced with a margin: one token
 * of the burst held back and the refill `WINDOW_MARGIN` slower. Calls that left within the allowance can arrive closer
 * together than they left (each is delayed differently on its way) and the vendor's bucket would refuse the last of a
 * bunch (RetailCRM's 503 in the bench); the token held back absorbs bunching of up to one refill interval.
 */
export function bucketWithMargin(vendor: string, allowance: TokenBucketOptions): RateLimiter {
  return vendorRateLimiter(vendor, {
    capacity: Math.max(1, allowance.capacity - 1),
    refillPerSecond: allowance.refillPerSecond / (1 + WINDOW_MARGIN),
  });
}
