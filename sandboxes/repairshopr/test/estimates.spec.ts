import { useSandbox } from './harness';

const harness = useSandbox();

const quote = {
  customer_id: 2,
  date: '2025-03-01T00:00:00Z',
  name: 'Zomentum quote Q-17 (monthly)',
  line_items: [
    { item: 'Managed Backup', name: 'Backup, billed monthly', quantity: 2, price: 49.99, cost: 20 },
    { product_id: 5, quantity: 1 },
  ],
};

describe('RepairShopr estimates', () => {
  it('creates an estimate with line items, prices from a linked product, money as decimal strings', async () => {
    const created = await harness.call('/estimates', { method: 'POST', body: quote });
    expect(created.status).toBe(200);
    expect(created.body.estimate).toMatchObject({
      id: 3,
      customer_id: 2,
      customer_business_then_name: 'Ben Kim',
      name: 'Zomentum quote Q-17 (monthly)',
      number: '1003',
      status: 'Fresh',
      date: '2025-03-01T00:00:00.000Z',
      subtotal: '154.98',
      total: '154.98',
      tax: '0.0',
      employee: 'owner@acme.example.com',
    });
    const shown = await harness.call('/estimates/3');
    expect(shown.body.estimate.line_items).toEqual([
      expect.objectContaining({ item: 'Managed Backup', quantity: '2.0', price: '49.99', cost: '20.0', product_id: null, position: 1 }),
      expect.objectContaining({
        item: 'SSD 1TB',
        name: 'SSD 1TB (Hardware)',
        quantity: '1.0',
        price: '55.0',
        cost: '33.0',
        product_id: 5,
        product_category: 'Hardware',
        position: 2,
      }),
    ]);
    const stored = await harness.sandbox.control.state();
    expect(stored.line_items.filter((line) => line.estimate_id === 3)).toHaveLength(2);
  });

  it("answers 422 with this endpoint's field map", async () => {
    const blank = await harness.call('/estimates', { method: 'POST', body: { name: 'no customer, no date' } });
    expect([blank.status, blank.body]).toEqual([422, { customer_id: ["can't be blank"], date: ["can't be blank"] }]);
    const bad = await harness.call('/estimates', {
      method: 'POST',
      body: { customer_id: 999, date: '2025-03-01', status: 'Won', line_items: [{ name: 'no item' }] },
    });
    expect([bad.status, bad.body]).toEqual([
      422,
      { customer: ['must exist'], status: ['is not included in the list'], 'line_items.item': ["can't be blank"] },
    ]);
    expect(await harness.sandbox.control.records('estimates')).toHaveLength(2);
  });

  it('lists with page meta, filters by status, and finds by number when the id is unknown', async () => {
    await harness.call('/estimates', { method: 'POST', body: { ...quote, status: 'Approved', number: 'Q-17-M' } });
    const all = await harness.call('/estimates');
    expect(all.body.meta).toEqual({ total_pages: 1, total_entries: 3, per_page: 25, page: 1 });
    const approved = await harness.call('/estimates?status=approved');
    expect(approved.body.estimates.map((estimate: { id: number }) => estimate.id)).toEqual([2, 3]);
    expect((await harness.call('/estimates/999?number=Q-17-M')).body.estimate.id).toBe(3);
    expect((await harness.call('/estimates/999')).status).toBe(404);
  });
});
