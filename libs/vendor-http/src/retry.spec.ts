import { VendorHttpError, VendorRateLimitError, VendorUnavailableError, type VendorErrorCode } from './errors';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, isIdempotentMethod, parseRetryAfter, shouldRetry } from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 1.5 ', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, and a date in the past as no wait', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('draws from [0, base * 2^(attempt-1)], capped at maxDelayMs', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelayMs(1, policy, () => 0.999)).toBe(100);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, policy, () => 1)).toBe(1000);
    expect(backoffDelayMs(4, policy, () => 0)).toBe(0);
  });
});

describe('isIdempotentMethod', () => {
  it('treats GET, HEAD, OPTIONS, PUT and DELETE as idempotent, POST and PATCH not', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'get'].every(isIdempotentMethod)).toBe(true);
    expect(['POST', 'PATCH'].some(isIdempotentMethod)).toBe(false);
  });
});

describe('shouldRetry', () => {
  const request = { vendor: 'acme', method: 'POST', path: '/orders' };
  const unavailable = (code: VendorErrorCode, status?: number) =>
    new VendorUnavailableError({ ...request, code, status, retryable: true, maybeCommitted: false });

  it('repeats any transient failure of an idempotent request', () => {
    for (const error of [unavailable('server_error', 503), unavailable('timeout'), unavailable('network')]) {
      expect(shouldRetry(error, true)).toBe(true);
    }
  });

  it('repeats a non-idempotent request only when the vendor certainly did not act on it', () => {
    expect(shouldRetry(new VendorRateLimitError({ ...request, code: 'rate_limited', status: 429, retryable: true }), false)).toBe(true);
    expect(shouldRetry(unavailable('timeout', 408), false)).toBe(true);
    expect(shouldRetry(unavailable('connection_failed'), false)).toBe(true);
    expect(shouldRetry(unavailable('timeout'), false)).toBe(false);
    expect(shouldRetry(unavailable('network'), false)).toBe(false);
    expect(shouldRetry(unavailable('server_error', 503), false)).toBe(false);
  });

  it('never repeats a permanent failure', () => {
    const conflict = new VendorHttpError({ ...request, code: 'client_error', status: 409, retryable: false });
    expect(shouldRetry(conflict, true)).toBe(false);
  });
});
