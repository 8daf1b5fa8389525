import { PermanentError, RetryableError } from '@junction/messaging';
import { secretRegistry } from '@junction/secrets';
import { RateLimitStoreError, VendorAuthError, VendorRateLimitError, VendorValidationError } from '@junction/vendor-http';
import { classifyFailure, isTransient, UnknownConnectionError } from './failures';

const request = { vendor: 'minicrm', method: 'POST', path: '/Api/R3/Project' };

describe('classifyFailure', () => {
  it('gives up on rejected credentials, naming the vendor, with registered secrets scrubbed', () => {
    secretRegistry.register('sekret-api-key-123');
    const error = new VendorAuthError({
      ...request,
      status: 401,
      code: 'unauthorized',
      retryable: false,
      reason: 'bad key sekret-api-key-123',
    });
    expect(classifyFailure(error)).toEqual({
      code: 'credentials_rejected',
      message: 'credentials rejected by minicrm: minicrm POST /Api/R3/Project failed: 401: bad key [REDACTED]',
      retryable: false,
    });
  });

  it("gives up on the vendor's validation errors with its message", () => {
    const error = new VendorValidationError({
      ...request,
      status: 422,
      code: 'validation',
      retryable: false,
      reason: 'Email is invalid',
      fieldErrors: { Email: ['is invalid'] },
    });
    expect(classifyFailure(error)).toMatchObject({
      code: 'validation',
      retryable: false,
      message: expect.stringContaining('Email is invalid'),
    });
  });

  it('retries rate limits after the Retry-After the vendor gave', () => {
    const error = new VendorRateLimitError({
      ...request,
      status: 429,
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 2_000,
    });
    expect(classifyFailure(error)).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2_000 });
    expect(isTransient(error)).toBe(true);
  });

  it('sorts our own errors', () => {
    expect(classifyFailure(new UnknownConnectionError('c-1'))).toEqual({
      code: 'unknown_connection',
      message: 'unknown connection c-1',
      retryable: false,
    });
    expect(classifyFailure(new PermanentError('status not mapped'))).toMatchObject({
      code: 'rejected',
      retryable: false,
    });
    expect(classifyFailure(new RetryableError('busy', { retryAfterMs: 10 }))).toMatchObject({
      retryable: true,
      retryAfterMs: 10,
    });
  });

  it('retries errors of unknown kind, but a stream read only resumes after transient ones', () => {
    const error = new Error('socket hang up');
    expect(classifyFailure(error)).toEqual({ code: 'internal', message: 'socket hang up', retryable: true });
    expect(isTransient(error)).toBe(false);
  });

  it('resumes a stream read after the shared rate limit was unavailable', () => {
    const error = new RateLimitStoreError('repairshopr', new Error('Query read timeout'));
    expect(isTransient(error)).toBe(true);
    expect(classifyFailure(error)).toMatchObject({ code: 'internal', retryable: true });
  });
});
