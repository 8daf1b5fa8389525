import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('RetailCRM rate limit', () => {
  it('limits each key to 10 requests a second, answering 503 "Rate limit exceeded" without Retry-After', async () => {
    const rules = await fetch(`${harness.sandbox.url}/__sandbox/rate-limits`).then((response) => response.json());
    expect(rules).toEqual({ rules: [{ name: 'api', policy: { kind: 'token-bucket', capacity: 10, refillPerSecond: 10, retryAfter: false } }] });
    // A slow refill makes the refusal deterministic on a wall-clock-driven bucket.
    await harness.sandbox.control.setRateLimit({ kind: 'token-bucket', capacity: 2, refillPerSecond: 0.5, retryAfter: false });
    for (let i = 0; i < 2; i++) expect((await harness.call('/reference/statuses')).status).toBe(200);
    const refused = await harness.call('/reference/statuses');
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ success: false, errorMsg: 'Rate limit exceeded' });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect((await harness.call('/reference/statuses', { key: SEEDED.apiKeys.warehouse })).status).toBe(200);
    await harness.sandbox.control.advanceClock(2000);
    expect((await harness.call('/reference/statuses')).status).toBe(200);
  });

  it('counts an upload of many orders as one request', async () => {
    await harness.sandbox.control.setRateLimit({ kind: 'token-bucket', capacity: 1, refillPerSecond: 0.5, retryAfter: false });
    const orders = Array.from({ length: 50 }, (_, n) => ({ externalId: `R${n}` }));
    const uploaded = await harness.call('/orders/upload', { form: { site: SEEDED.sites.zzap, orders } });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.uploadedOrders).toHaveLength(50);
    expect((await harness.call('/reference/statuses')).status).toBe(503);
  });
});

describe('RetailCRM faults', () => {
  it('loses the answer to a committed create: a retry finds the order by externalId', async () => {
    await harness.sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/api/v5/orders/create', count: 1 }] });
    await expect(harness.call('/orders/create', { form: { site: SEEDED.sites.zzap, order: { externalId: 'LOST' } } })).rejects.toThrow();
    const found = await harness.call(`/orders/LOST?by=externalId&site=${SEEDED.sites.zzap}`);
    expect(found.body.order.externalId).toBe('LOST');
  });

  it('answers injected 5xx and 503 bursts before the handler runs', async () => {
    await harness.sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 502, body: 'json', pathPrefix: '/api/v5/orders/history', count: 1 },
        { kind: 'rate-limit', pathPrefix: '/api/v5/orders', count: 2, retryAfterSeconds: null },
      ],
    });
    expect((await harness.call('/orders/history')).status).toBe(502);
    const burst = [await harness.call('/orders'), await harness.call('/orders'), await harness.call('/orders')];
    expect(burst.map((response) => response.status)).toEqual([503, 503, 200]);
    expect(burst[0].body.errorMsg).toBe('Rate limit exceeded');
    const log = await harness.sandbox.control.requests();
    expect(log.filter((entry) => entry.faults).length).toBe(3);
  });

  it('answers unknown methods in its envelope', async () => {
    expect(await harness.call('/nothing')).toMatchObject({ status: 404, body: { success: false, errorMsg: 'API method not found' } });
  });
});
