import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('MiniCRM rate limit', () => {
  it('allows 60 R3 and Order calls a minute per system, then 429 in plain text without Retry-After', async () => {
    await harness.sandbox.control.reset();
    for (let i = 0; i < 30; i++) expect((await harness.call('/Api/R3/Category')).status).toBe(200);
    for (let i = 0; i < 30; i++) expect((await harness.call('/Api/Order/List')).status).toBe(200);
    const refused = await harness.call('/Api/R3/Category');
    expect([refused.status, refused.text, refused.headers.get('retry-after')]).toEqual([429, 'Too Many Requests', null]);
    expect((await harness.call('/Api/R3/Category', { credentials: [SEEDED.other.systemId, SEEDED.other.apiKey] })).status).toBe(200);
    await harness.sandbox.control.advanceClock(60_000);
    expect((await harness.call('/Api/R3/Category')).status).toBe(200);
  });
});

describe('MiniCRM faults', () => {
  it('answers injected 5xx pages and 429 bursts, then serves again', async () => {
    await harness.sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 500, pathPrefix: '/Api/R3/Contact', count: 1 },
        { kind: 'rate-limit', pathPrefix: '/Api/Order', count: 2, retryAfterSeconds: null },
      ],
    });
    expect((await harness.call('/Api/R3/Contact?Email=kovacs.peter@example.hu')).status).toBe(500);
    expect((await harness.call('/Api/R3/Contact?Email=kovacs.peter@example.hu')).body.Count).toBe(1);
    const burst = [await harness.call('/Api/Order/List'), await harness.call('/Api/Order/List'), await harness.call('/Api/Order/List')];
    expect(burst.map((response) => [response.status, response.text.slice(0, 17)])).toEqual([
      [429, 'Too Many Requests'],
      [429, 'Too Many Requests'],
      [200, '{"Count":0,"Resul'],
    ]);
  });

  it('commits an order whose answer is lost; the retry finds its card by ReferenceId', async () => {
    await harness.sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/Api/Order', count: 1 }] });
    const body = { CustomerId: 1, ReferenceId: 'SR-LOST', Items: [{ Name: 'Vászontáska', PriceNet: 3142, Quantity: 1 }] };
    await expect(harness.call('/Api/Order', { method: 'POST', body })).rejects.toThrow();
    const cards = await harness.call('/Api/R3/Project?ReferenceId=SR-LOST');
    expect(cards.body.Count).toBe(1);
    const card = (await harness.call(`/Api/R3/Project/${Object.keys(cards.body.Results)[0]}`)).body;
    expect((await harness.call(`/Api/Order/${card.OrderId}`)).body.Items).toHaveLength(1);
    const log = await harness.sandbox.control.requests();
    expect(log[0]).toMatchObject({ method: 'POST', path: '/Api/Order', credential: 'system:12345', faults: expect.any(Array) });
  });
});
