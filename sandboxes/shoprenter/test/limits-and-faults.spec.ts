import { orderId } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();
const TOO_MANY = { error: 429, message: 'Too Many Requests' };

/** A bucket that refills only as the sandbox clock is moved, so counts do not depend on how fast the test runs. */
const SLOW_BUCKET = { kind: 'token-bucket', capacity: 3, refillPerSecond: 0.001, retryAfter: false } as const;

describe('Shoprenter rate limit and lock-out', () => {
  it('is a 3-per-second bucket per application and shop by default', async () => {
    await harness.sandbox.control.reset();
    const limits = (await (await fetch(`${harness.sandbox.url}/__sandbox/rate-limits`)).json()) as { rules: unknown[] };
    expect(limits.rules).toEqual([{ name: 'api', policy: { kind: 'token-bucket', capacity: 3, refillPerSecond: 3, retryAfter: false } }]);
  });

  it('answers 429 without Retry-After past the limit; the OAuth client has its own budget', async () => {
    await harness.sandbox.control.setRateLimit(SLOW_BUCKET);
    for (let i = 0; i < 3; i++) expect((await harness.call('/languages')).status).toBe(200);
    const refused = await harness.call('/languages');
    expect([refused.status, refused.body, refused.headers.get('retry-after')]).toEqual([429, TOO_MANY, null]);
    expect((await harness.call('/languages', { mode: 'oauth' })).status).toBe(200);
    await harness.sandbox.control.advanceClock(1000_000);
    expect((await harness.call('/languages')).status).toBe(200);
  });

  it('blocks a credential that keeps hammering (parallel syncs) for a minute, even when the rate would allow', async () => {
    await harness.sandbox.control.reset({ lockout: { afterRefusals: 5, withinMs: 10_000, forMs: 60_000 } });
    await harness.sandbox.control.setRateLimit(SLOW_BUCKET);
    // Two "syncs" paging at once: the bucket runs dry, then the refusals pile up.
    const burst = await Promise.all(Array.from({ length: 8 }, (_, page) => harness.call(`/orders?page=${page % 3}&limit=10`)));
    expect(burst.filter((response) => response.status === 429)).toHaveLength(5);
    await harness.sandbox.control.setRateLimit({ kind: 'off' });
    const blocked = await harness.call('/orders');
    expect([blocked.status, blocked.body]).toEqual([429, TOO_MANY]);
    await harness.sandbox.control.advanceClock(59_000);
    expect((await harness.call('/orders')).status).toBe(429);
    await harness.sandbox.control.advanceClock(1_000);
    expect((await harness.call('/orders')).status).toBe(200);
  });
});

describe('Shoprenter faults', () => {
  it('answers injected 5xx and 429 bursts, then serves again', async () => {
    await harness.sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 503, body: 'json', pathPrefix: '/acme/orders', count: 1 },
        { kind: 'rate-limit', pathPrefix: '/acme/orderStatuses', count: 2, retryAfterSeconds: null },
      ],
    });
    expect((await harness.call('/orders')).status).toBe(503);
    expect((await harness.call('/orders')).status).toBe(200);
    const statuses = [await harness.call('/orderStatuses'), await harness.call('/orderStatuses'), await harness.call('/orderStatuses')];
    expect(statuses.map((response) => response.status)).toEqual([429, 429, 200]);
    expect(statuses[0].body).toEqual(TOO_MANY);
    const log = await harness.sandbox.control.requests();
    expect(log.filter((entry) => entry.faults).map((entry) => entry.status)).toEqual([503, 429, 429]);
  });

  it('commits a PUT whose answer is lost', async () => {
    await harness.sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['PUT'], count: 1 }] });
    await expect(harness.call(`/orders/${orderId(1)}`, { method: 'PUT', body: { data: { comment: 'elveszett válasz' } } })).rejects.toThrow();
    expect((await harness.call(`/orders/${orderId(1)}`)).body.comment).toBe('elveszett válasz');
  });
});
