import { BILLING_PERIODS } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('Zomentum products (items)', () => {
  it('lists categories: Hardware, Software, Service, Labor and user-added ones', async () => {
    const { body } = await harness.call('/items/categories');
    expect(body.data.map((category: { name: string; is_default: boolean }) => [category.name, category.is_default])).toEqual([
      ['Hardware', true],
      ['Software', true],
      ['Service', true],
      ['Labor', true],
      ['Managed Services', false],
    ]);
    const added = await harness.call('/items/categories', { method: 'POST', body: { name: 'Security' } });
    expect([added.status, added.body.is_default]).toEqual([201, false]);
    expect((await harness.call('/items/categories', { method: 'POST', body: { name: 'hardware' } })).status).toBe(400);
  });

  it('creates an item with prices per billing period in a category, and filters by category name', async () => {
    const categories = (await harness.call('/items/categories')).body.data as Array<{ id: string; name: string }>;
    const service = categories.find((category) => category.name === 'Service')!;
    const created = await harness.call('/items', {
      method: 'POST',
      body: {
        name: 'Managed Firewall',
        type: 'service',
        category_id: service.id,
        pricing: [
          { name: 'Standard', billing_period: 'monthly', sell_price: 49, setup_price: 99 },
          { billing_period: 'annually', sell_price: 499, cost_price: 200 },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Managed Firewall',
      category: { id: service.id, name: 'Service' },
      pricing: [
        { name: 'Standard', billing_period: 'monthly', sell_price: 49, setup_price: 99, cost_price: 0 },
        { name: 'Standard', billing_period: 'annually', sell_price: 499, setup_price: 0, cost_price: 200 },
      ],
    });
    const inService = await harness.call(`/items?filters=${encodeURIComponent('category.name:eq:Service;')}`);
    expect(inService.body.data.map((item: { name: string }) => item.name)).toEqual(['Managed Backup', 'Managed Firewall']);
  });

  it('answers 400 for an unknown type, billing period or category, and a missing price', async () => {
    const response = await harness.call('/items', {
      method: 'POST',
      body: { name: 'Bad', type: 'bundle', category_id: 'nope', pricing: [{ billing_period: 'fortnightly' }] },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'type',
      'pricing[0].billing_period',
      'pricing[0].sell_price',
      'category_id',
    ]);
    expect(response.body.errors[1].message).toBe(`billing_period must be one of ${BILLING_PERIODS.join(', ')}`);
    const noPrice = await harness.call('/items', { method: 'POST', body: { name: 'No price', type: 'product', pricing: [] } });
    expect(noPrice.body.errors).toEqual([{ field: 'pricing', message: 'pricing must hold at least one price' }]);
  });
});

describe('Zomentum documents', () => {
  it('lists won documents with line items of several billing periods', async () => {
    const { body } = await harness.call(`/documents/zapier?count_query_flag=true&filters=${encodeURIComponent('status:eq:won;')}`);
    expect(body.filtered_count_map.all).toBe(2);
    const [mixed, monthly] = body.data;
    expect(mixed).toMatchObject({ document_number: 'Q-1001', status: 'won', currency_code: 'USD', total: 3312 });
    const periods = mixed.line_items.map((line: { billing_period: string }) => line.billing_period);
    expect([...new Set(periods)]).toEqual(['one_time', 'monthly', 'quarterly']);
    expect(new Set(monthly.line_items.map((line: { billing_period: string }) => line.billing_period))).toEqual(new Set(['monthly']));
    expect((await harness.call(`/documents/${mixed.id}`)).body).toEqual(mixed);
    expect((await harness.call('/documents?count_query_flag=true')).body.filtered_count_map.all).toBe(4);
  });

  it('shows a document marked won in the UI to a poll for won documents updated since the last cursor', async () => {
    const cursor = await harness.sandbox.control.advanceClock(60_000);
    const sent = (await harness.call(`/documents?filters=${encodeURIComponent('status:eq:sent;')}`)).body.data[0];
    await harness.sandbox.control.update('documents', sent.id, { status: 'won' });
    const { body } = await harness.call(`/documents?filters=${encodeURIComponent(`status:eq:won;updated_at:gte:${cursor};`)}`);
    expect(body.data.map((document: { id: string }) => document.id)).toEqual([sent.id]);
  });

  it('answers 404 for an unknown document', async () => {
    const response = await harness.call('/documents/65a0d0c0ffffffffffffffff');
    expect([response.status, response.body.message]).toEqual([404, 'Document not found']);
  });
});
