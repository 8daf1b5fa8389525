import { useSandbox } from './harness';

const harness = useSandbox();

describe('Zomentum rate limit', () => {
  it('answers 429 with Retry-After past 120 calls a minute, and can be tightened', async () => {
    for (let i = 0; i < 120; i++) expect((await harness.call('/users')).status).toBe(200);
    const refused = await harness.call('/users');
    expect([refused.status, refused.body.message]).toEqual([429, 'Rate limit exceeded']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    await harness.sandbox.control.setRateLimit({ kind: 'fixed-window', limit: 2, windowMs: 10_000 });
    expect((await harness.call('/users')).status).toBe(200);
    expect((await harness.call('/users')).status).toBe(200);
    expect((await harness.call('/users')).headers.get('retry-after')).toBe('10');
  });
});

describe('Zomentum faults', () => {
  it('loses the answer to a committed create', async () => {
    await harness.sandbox.control.setFaults({
      rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/v2/client/companies', count: 1 }],
    });
    await expect(harness.call('/client/companies', { method: 'POST', body: { name: 'Committed Co' } })).rejects.toThrow();
    const clients = await harness.sandbox.control.records<{ name: string }>('client_companies');
    expect(clients.filter((client) => client.name === 'Committed Co')).toHaveLength(1);
  });

  it('answers injected 5xx errors and 429 bursts before touching data', async () => {
    await harness.sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 503, body: 'json', count: 1 },
        { kind: 'rate-limit', count: 1, retryAfterSeconds: 30 },
      ],
    });
    const unavailable = await harness.call('/client/companies', { method: 'POST', body: { name: 'Never stored' } });
    expect([unavailable.status, unavailable.body]).toEqual([503, { error: 'Service Unavailable', status: 503 }]);
    const limited = await harness.call('/client/companies', { method: 'POST', body: { name: 'Never stored' } });
    expect([limited.status, limited.headers.get('retry-after'), limited.body.statusCode]).toEqual([429, '30', 429]);
    const clients = await harness.sandbox.control.records<{ name: string }>('client_companies');
    expect(clients.some((client) => client.name === 'Never stored')).toBe(false);
  });
});

describe('Zomentum control', () => {
  it('seeds a won document that the next poll picks up, and reset takes it away', async () => {
    const [client] = (await harness.call('/client/companies?limit=1')).body.data;
    const [seeded] = (
      await harness.sandbox.control.seed({
        documents: [
          {
            account_id: (await harness.sandbox.control.records<{ id: string }>('accounts'))[0].id,
            name: 'Seeded quote',
            document_number: 'Q-9001',
            status: 'won',
            client_company_id: client.id,
            line_items: [
              {
                id: 'l1',
                item_id: null,
                name: 'Consulting',
                description: null,
                quantity: 2,
                billing_period: 'one_time',
                sell_price: 100,
                setup_price: 0,
                cost_price: 40,
                discount: 10,
              },
            ],
          },
        ],
      })
    ).documents;
    expect(seeded).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), total: 190, currency_code: 'USD' });
    const won = await harness.call(`/documents?count_query_flag=true&filters=${encodeURIComponent('status:eq:won;')}`);
    expect(won.body.filtered_count_map.all).toBe(3);
    await harness.sandbox.control.reset({ documents: 0 });
    expect((await harness.call('/documents?count_query_flag=true')).body.filtered_count_map.all).toBe(0);
  });
});
