import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('RepairShopr rate limit', () => {
  it('allows 180 calls a minute per token, then answers 429 with Retry-After', async () => {
    for (let i = 0; i < 180; i++) expect((await harness.call('/me')).status).toBe(200);
    const refused = await harness.call('/me');
    expect(refused.status).toBe(429);
    expect(refused.text).toBe('Retry later\n');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await harness.call('/me', { token: SEEDED.tokens.noEstimates })).status).toBe(200);
    await harness.sandbox.control.advanceClock(retryAfter * 1000);
    expect((await harness.call('/me')).status).toBe(200);
  });
});

describe('RepairShopr faults', () => {
  it('loses the answer to a committed create: the client sees a socket error, the customer exists', async () => {
    await harness.sandbox.control.setFaults({
      rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/acme/api/v1/customers', count: 1 }],
    });
    await expect(harness.call('/customers', { method: 'POST', body: { firstname: 'Lost', email: 'lost@example.com' } })).rejects.toThrow();
    const customers = await harness.sandbox.control.records<{ email: string }>('customers');
    expect(customers.filter((customer) => customer.email === 'lost@example.com')).toHaveLength(1);
    // A retry that looks the customer up by email first finds it instead of creating it twice.
    expect((await harness.call('/customers?email=lost@example.com')).body.meta.total_entries).toBe(1);
  });

  it('answers 5xx pages on one path prefix, bursts of 429s, and added latency', async () => {
    await harness.sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 502, pathPrefix: '/acme/api/v1/products', count: 1 },
        { kind: 'rate-limit', pathPrefix: '/acme/api/v1/estimates', count: 2, retryAfterSeconds: 3 },
        { kind: 'latency', ms: 200, pathPrefix: '/acme/api/v1/me' },
      ],
    });
    const gateway = await harness.call('/products');
    expect([gateway.status, gateway.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8']);
    expect((await harness.call('/products')).status).toBe(200);
    const burst = [await harness.call('/estimates'), await harness.call('/estimates'), await harness.call('/estimates')];
    expect(burst.map((response) => [response.status, response.headers.get('retry-after')])).toEqual([
      [429, '3'],
      [429, '3'],
      [200, null],
    ]);
    const started = Date.now();
    expect((await harness.call('/me')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('RepairShopr control', () => {
  it('seeds partial records (completed with defaults) that the API then serves, and reset removes them', async () => {
    const records = await harness.sandbox.control.seed({ customers: [{ account_id: 1, firstname: 'Seeded', lastname: 'Person' }] });
    const [seeded] = records.customers;
    expect(seeded).toMatchObject({ fullname: 'Seeded Person', disabled: false, properties: {} });
    expect((await harness.call(`/customers/${seeded.id}`)).body.customer.fullname).toBe('Seeded Person');
    await harness.sandbox.control.reset({ customers: 0, productsPerCategory: 0, estimates: 0 });
    const state = await harness.sandbox.control.state();
    expect(state.customers.filter((customer) => customer.account_id === 1)).toEqual([]);
    expect(state.api_tokens).toHaveLength(4);
    expect((await harness.call('/customers')).body.meta).toEqual({ total_pages: 0, total_entries: 0, per_page: 100, page: 1 });
  });
});
