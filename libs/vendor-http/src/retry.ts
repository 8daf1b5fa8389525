import type { VendorHttpError } from './errors';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Longest wait between attempts; a Retry-After beyond it ends the retries (the caller reschedules). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * Whether the client repeats a failed attempt itself.
 *
 * A transient failure of an idempotent request is always repeated. A non-idempotent one (a POST that
 * creates) is repeated only when the vendor certainly did not act on it: 429, 408, or no connection made.
 * A POST that timed out, lost its response or got a 5xx may have been committed, so it is NOT blindly
 * repeated: the error says `maybeCommitted`, and the caller's ID map plus a natural-key lookup decide
 * whether to write again when the command is redelivered.
 */
export function shouldRetry(error: VendorHttpError, idempotent: boolean): boolean {
  if (!error.retryable) return false;
  if (idempotent) return true;
  return error.code === 'rate_limited' || error.code === 'connection_failed' || error.status === 408;
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^(attempt-1))]. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After as delay-seconds or an HTTP-date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP-date always names its month; without that check Date.parse would read '-5' as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
