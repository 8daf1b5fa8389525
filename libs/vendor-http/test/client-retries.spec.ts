import { z } from 'zod';
import {
  TokenBucket,
  VendorAuthError,
  VendorHttpClient,
  VendorNotFoundError,
  VendorRateLimitError,
  VendorUnavailableError,
  type RateLimiter,
  type VendorHttpClientOptions,
} from '../src';
import { closedPort, sendJson, startVendorServer, untilReceived, type Responder, type VendorServer } from './vendor-server';

const Ok = z.object({ ok: z.literal(true) });
const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

/** A real limiter that also records what the client asked of it. */
class RecordingLimiter implements RateLimiter {
  readonly penalties: Array<[string, number]> = [];
  private readonly bucket = new TokenBucket({ capacity: 10, refillPerSecond: 1000 });
  acquire(key: string, cost?: number) {
    return this.bucket.acquire(key, cost);
  }
  penalize(key: string, retryAfterMs: number) {
    this.penalties.push([key, retryAfterMs]);
    this.bucket.penalize(key, retryAfterMs);
  }
}

describe('VendorHttpClient retries', () => {
  let server: VendorServer;
  let respond: Responder;

  beforeEach(async () => {
    server = await startVendorServer((request, response, index) => respond(request, response, index));
  });
  afterEach(() => server.close());

  const client = (options: Partial<VendorHttpClientOptions> = {}) =>
    new VendorHttpClient({
      vendor: 'shoprenter',
      baseUrl: server.baseUrl,
      auth: () => ({ Authorization: 'Bearer tok-4f9a2c' }),
      rateLimitKey: 'conn-1',
      retry: fast,
      ...options,
    });

  const failFirst = (times: number, status: number, headers: Record<string, string> = {}): Responder =>
    (_req, res, index) => (index < times ? sendJson(res, status, { message: 'try later' }, headers) : sendJson(res, 200, { ok: true }));

  describe('429', () => {
    it('waits Retry-After, penalizes the credential for everyone and succeeds', async () => {
      respond = failFirst(1, 429, { 'retry-after': '0' });
      const limiter = new RecordingLimiter();
      await expect(client({ rateLimiter: limiter }).request({ method: 'GET', path: '/orders', schema: Ok })).resolves.toEqual({ ok: true });
      expect(server.received).toHaveLength(2);
      expect(limiter.penalties).toEqual([['conn-1', 0]]);
    });

    it('reads a Retry-After HTTP-date', async () => {
      // HTTP-dates have whole seconds: 'now + 3 s' leaves between 2 and 3 seconds, more than maxDelayMs.
      respond = failFirst(1, 429, { 'retry-after': new Date(Date.now() + 3000).toUTCString() });
      const limiter = new RecordingLimiter();
      const error = await client({ rateLimiter: limiter, retry: { ...fast, maxDelayMs: 1000 } })
        .request({ method: 'GET', path: '/orders', schema: Ok })
        .catch((e: unknown) => e);
      const { retryAfterMs } = error as VendorRateLimitError;
      expect(retryAfterMs).toBeGreaterThan(1000);
      expect(retryAfterMs).toBeLessThanOrEqual(3000);
      expect(limiter.penalties).toEqual([['conn-1', retryAfterMs]]);
      expect(server.received).toHaveLength(1);
    });

    it('retries a POST too: the vendor did not process it', async () => {
      respond = failFirst(2, 429);
      await client().request({ method: 'POST', path: '/orders', body: { a: 1 }, schema: Ok });
      expect(server.received).toHaveLength(3);
    });

    it('gives up with a rate limit error after the last attempt', async () => {
      respond = failFirst(99, 429, { 'retry-after': '0' });
      const error = await client().request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorRateLimitError);
      expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterMs: 0 });
      expect((error as Error).message).toBe('shoprenter GET /orders failed: 429 Too Many Requests: try later');
      expect(server.received).toHaveLength(fast.maxAttempts);
    });

    it('leaves a Retry-After beyond maxDelayMs to the caller at once, holding the credential for everyone meanwhile', async () => {
      respond = failFirst(99, 429, { 'retry-after': '180' });
      const limiter = new RecordingLimiter();
      const error = await client({ rateLimiter: limiter }).request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 180_000 });
      expect(server.received).toHaveLength(1);
      expect(limiter.penalties).toEqual([['conn-1', 180_000]]);
    });

    it('treats what isRateLimited flags as a rate limit (RetailCRM 503)', async () => {
      respond = (_req, res, index) =>
        index === 0 ? sendJson(res, 503, { success: false, errorMsg: 'Rate limit exceeded' }) : sendJson(res, 200, { ok: true });
      const retailCrm = client({
        isRateLimited: (status, body) => status === 503 && (body as { errorMsg?: string } | undefined)?.errorMsg === 'Rate limit exceeded',
      });
      await retailCrm.request({ method: 'POST', path: '/orders/create', form: { order: {} }, schema: Ok });
      expect(server.received).toHaveLength(2);
    });
  });

  describe('5xx', () => {
    it('retries a 503 for a GET', async () => {
      respond = failFirst(2, 503);
      await expect(client().request({ method: 'GET', path: '/orders', schema: Ok })).resolves.toEqual({ ok: true });
      expect(server.received).toHaveLength(3);
    });

    it('does not retry a 503 for a POST', async () => {
      respond = failFirst(1, 503);
      const error = await client().request({ method: 'POST', path: '/orders', body: {}, schema: Ok }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorUnavailableError);
      expect(error).toMatchObject({ code: 'server_error', status: 503, retryable: true, maybeCommitted: false });
      expect(server.received).toHaveLength(1);
    });

    it('retries a POST marked idempotent', async () => {
      respond = failFirst(1, 503);
      await client().request({ method: 'POST', path: '/orders/search', body: {}, idempotent: true, schema: Ok });
      expect(server.received).toHaveLength(2);
    });

    it('retries a 500 for a GET; for a POST reports that it may have been committed', async () => {
      respond = failFirst(1, 500);
      await client().request({ method: 'GET', path: '/orders', schema: Ok });
      expect(server.received).toHaveLength(2);

      respond = failFirst(99, 500);
      const error = await client().request({ method: 'POST', path: '/orders', body: {}, schema: Ok }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'server_error', status: 500, maybeCommitted: true });
      expect(server.received).toHaveLength(3);
    });
  });

  describe('timeouts and broken connections', () => {
    const hang: Responder = () => undefined;

    it('retries a GET that timed out, then reports the timeout', async () => {
      respond = hang;
      const started = performance.now();
      const error = await client({ timeoutMs: 100 }).request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorUnavailableError);
      expect(error).toMatchObject({ code: 'timeout', retryable: true, maybeCommitted: false, status: undefined });
      expect((error as Error).message).toBe('shoprenter GET /orders failed: timed out waiting for the response');
      await untilReceived(server, fast.maxAttempts);
      expect(server.received).toHaveLength(fast.maxAttempts);
      expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    });

    it('does not repeat a POST that timed out: it may have been committed', async () => {
      respond = hang;
      const error = await client({ timeoutMs: 150 }).request({ method: 'POST', path: '/orders', body: { n: 1 }, schema: Ok }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'timeout', maybeCommitted: true });
      await untilReceived(server, 1);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.received).toHaveLength(1);
    });

    it('times out a response whose body never finishes', async () => {
      respond = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"ok":');
      };
      const error = await client({ timeoutMs: 50, retry: { maxAttempts: 1 } }).request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'timeout' });
    });

    it('does not repeat a POST whose connection broke after sending: it may have been committed', async () => {
      respond = (_req, res) => res.socket?.destroy();
      const error = await client().request({ method: 'POST', path: '/orders', body: {}, schema: Ok }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorUnavailableError);
      expect(error).toMatchObject({ code: 'network', maybeCommitted: true });
      expect((error as Error).message).toBe('shoprenter POST /orders failed: connection lost: other side closed');
      expect(((error as Error).cause as Error & { code: string }).code).toBe('UND_ERR_SOCKET');
      expect(server.received).toHaveLength(1);
    });

    it('retries even a POST when no connection could be made, and keeps only code and message as cause', async () => {
      const port = await closedPort();
      const unreachable = client({ baseUrl: `http://127.0.0.1:${port}/api` });
      const error = await unreachable.request({ method: 'POST', path: '/orders', body: {}, schema: Ok }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'connection_failed', maybeCommitted: false, retryable: true });
      const cause = (error as Error).cause as Error & { code: string };
      expect(cause.code).toBe('ECONNREFUSED');
      expect(Object.keys(cause)).toEqual(['code']);
    });
  });

  describe('401', () => {
    it('renews the credential once and repeats the request with the fresh header', async () => {
      let token = 'expired';
      respond = (req, res) => (req.headers.authorization === 'Bearer fresh' ? sendJson(res, 200, { ok: true }) : sendJson(res, 401, { error: 'invalid token' }));
      const onUnauthorized = jest.fn(async () => {
        token = 'fresh';
        return true;
      });
      const renewing = client({ auth: () => ({ Authorization: `Bearer ${token}` }), onUnauthorized });
      await expect(renewing.request({ method: 'POST', path: '/orders', body: {}, schema: Ok })).resolves.toEqual({ ok: true });
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
      expect(server.received.map((r) => r.headers.authorization)).toEqual(['Bearer expired', 'Bearer fresh']);
    });

    it('gives up with an auth error when the repeated request is refused again', async () => {
      respond = (_req, res) => sendJson(res, 401, { error: 'invalid token' });
      const onUnauthorized = jest.fn(async () => true);
      const error = await client({ onUnauthorized }).request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorAuthError);
      expect(error).toMatchObject({ code: 'unauthorized', status: 401, retryable: false, missingPermission: undefined });
      expect((error as Error).message).toBe('shoprenter GET /orders failed: 401 Unauthorized: invalid token');
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
      expect(server.received).toHaveLength(2);
    });

    it('does not repeat the request when the credential could not be renewed', async () => {
      respond = (_req, res) => sendJson(res, 401, {});
      const error = await client({ onUnauthorized: async () => false }).request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorAuthError);
      expect(server.received).toHaveLength(1);
    });

    it('shares one renewal among requests that hit the expired credential, even one whose 401 comes after it', async () => {
      let token = 'expired';
      respond = (req, res) => {
        if (req.headers.authorization === 'Bearer fresh') return sendJson(res, 200, { ok: true });
        // The slow request was sent with the old token but is refused only after the renewal finished.
        setTimeout(() => sendJson(res, 401, {}), req.url.searchParams.has('slow') ? 80 : 0);
      };
      const onUnauthorized = jest.fn(async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        token = 'fresh';
        return true;
      });
      const renewing = client({ auth: () => ({ Authorization: `Bearer ${token}` }), onUnauthorized });
      const results = await Promise.all(
        [{}, {}, { slow: 1 }].map((query) => renewing.request({ method: 'GET', path: '/orders', query, schema: Ok })),
      );
      expect(results).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
      expect(server.received.map((r) => r.headers.authorization).sort()).toEqual([
        'Bearer expired',
        'Bearer expired',
        'Bearer expired',
        'Bearer fresh',
        'Bearer fresh',
        'Bearer fresh',
      ]);
    });
  });

  it('never retries other 4xx', async () => {
    respond = (_req, res) => sendJson(res, 404, { message: 'Not found' });
    const error = await client().request({ method: 'GET', path: '/orders/1', schema: Ok }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorNotFoundError);
    expect(error).toMatchObject({ code: 'not_found', retryable: false });
    expect(server.received).toHaveLength(1);

    respond = (_req, res) => sendJson(res, 409, { message: 'Resource exists' });
    const conflict = await client().request({ method: 'PUT', path: '/orders/1', body: {}, schema: Ok }).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ name: 'VendorHttpError', code: 'client_error', status: 409, retryable: false });
    expect(server.received).toHaveLength(2);
  });

  it('reports a missing permission on 401/403 when the body says so', async () => {
    respond = (_req, res) => sendJson(res, 401, { error: 'Not authorized. Please ask account admin to update your group permissions.' });
    const error = await client().request({ method: 'GET', path: '/invoices', schema: Ok }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'unauthorized',
      missingPermission: 'Not authorized. Please ask account admin to update your group permissions.',
    });

    respond = (_req, res) => sendJson(res, 403, { success: false, errorMsg: 'Access denied.' });
    const forbidden = await client().request({ method: 'GET', path: '/orders', schema: Ok }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(VendorAuthError);
    expect(forbidden).toMatchObject({ code: 'forbidden', status: 403, missingPermission: 'Access denied.' });
  });
});
