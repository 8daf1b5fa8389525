import { orderId, orderStatusId, SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('Shoprenter order lists', () => {
  it('pages 0-based with limit, first/previous/next/last links and href items, no total', async () => {
    const first = await harness.call('/orders?limit=10');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: '0', limit: '10', previous: null });
    expect(first.body).not.toHaveProperty('pageCount');
    expect(first.body.items).toHaveLength(10);
    expect(first.body.items[0]).toEqual({ href: expect.stringMatching(new RegExp(`/acme/orders/${orderId(1)}$`)) });
    expect(first.body.next.href).toMatch(/\/acme\/orders\?page=1&limit=10$/);
    expect(first.body.last.href).toMatch(/page=2&limit=10$/);
    const last = await harness.call('/orders?limit=10&page=2');
    expect(last.body.items).toHaveLength(10);
    expect(last.body.next).toBeNull();
    expect(last.body.previous.href).toMatch(/page=1&limit=10$/);
    expect((await harness.call('/orderStatuses')).body).toMatchObject({ pageCount: '1', limit: '25' });
  });

  it('refuses a page past the end with 40008 and a limit over 200', async () => {
    const beyond = await harness.call('/orders?limit=10&page=3');
    expect([beyond.status, beyond.body]).toEqual([400, { error: 40008, message: 'Page out of range: minimum page is 0 and maximum page is 2' }]);
    expect((await harness.call('/orders?limit=201')).status).toBe(400);
    expect((await harness.call('/orders?updatedAtMin=yesterday')).body.error).toBe(40009);
  });

  it('seeds 5,000 deterministic orders quickly and serves them in 25 pages of 200', async () => {
    const started = Date.now();
    await harness.sandbox.control.reset({ orders: 5000 });
    expect(Date.now() - started).toBeLessThan(5000);
    await harness.sandbox.control.setRateLimit({ kind: 'off' });
    const seen = new Set<string>();
    let url: string | undefined = '/orders?limit=200&full=1';
    let pages = 0;
    while (url) {
      const response = await harness.call(url);
      pages += 1;
      for (const order of response.body.items) seen.add(order.innerId);
      url = response.body.next?.href.replace(/^.*\/acme/, '');
    }
    expect([pages, seen.size]).toEqual([25, 5000]);
    const again = await harness.call(`/orders/${orderId(4321)}`);
    const once = (await harness.call(`/orders/${orderId(4321)}`)).body;
    expect(again.body).toEqual(once);
    expect(once).toMatchObject({ innerId: '4321', email: expect.stringMatching(/@example\.hu$/), shippingCountryName: 'Magyarország' });
  });
});

describe('Shoprenter orders', () => {
  it('embeds lines, totals and the coupon in orderExtend; the coupon is a negative COUPON total', async () => {
    const extended = (await harness.call(`/orderExtend/${orderId(4)}`)).body;
    expect(extended.coupon).toMatchObject({ code: 'SAVE2000', discountType: 'FIXED', fixDiscountValue: '2000.0000' });
    expect(extended.orderProducts.length).toBeGreaterThan(0);
    const types = extended.orderTotals.map((total: { type: string }) => total.type);
    expect(types).toEqual(['SUB_TOTAL', 'TAX', 'COUPON', 'SHIPPING', 'TOTAL']);
    const value = (type: string) => Number(extended.orderTotals.find((total: { type: string }) => total.type === type).value);
    expect(value('COUPON')).toBe(-2000);
    expect(value('TOTAL')).toBe(value('SUB_TOTAL') + value('TAX') - 2000 + value('SHIPPING'));
    expect(Number(extended.total)).toBe(value('TOTAL'));
    const line = extended.orderProducts[0];
    expect(Number(line.total)).toBe(Number(line.price) * Number(line.stock1));
    expect((await harness.call(`/orderExtend/${orderId(3)}`)).body.coupon).toBeNull();
    expect(extended.currency).toMatchObject({ code: 'HUF', value: '1.00000000' });
    const plain = (await harness.call(`/orders/${orderId(4)}`)).body;
    expect(plain).not.toHaveProperty('coupon');
    const currency = await harness.call(plain.currency.href.replace(/^.*\/acme/, ''));
    expect(currency.body).toEqual(extended.currency);
    expect(plain.couponTaxRate).toBe('27.0000');
    const lines = await harness.call(plain.orderProducts.href.replace(/^.*\/acme/, '') + '&full=1');
    expect(lines.body.items.map((item: { id: string }) => item.id)).toEqual(extended.orderProducts.map((item: { id: string }) => item.id));
    const coupons = await harness.call('/coupons?code=WELCOME10&full=1');
    expect(coupons.body.items).toEqual([expect.objectContaining({ code: 'WELCOME10', discountType: 'PERCENT' })]);
  });

  it('lists the shop owner’s statuses with their names; a renamed or added status shows on the next read', async () => {
    const descriptions = await harness.call('/orderStatusDescriptions?full=1');
    expect(descriptions.body.items.map((status: { name: string }) => status.name)).toEqual([
      'Függőben lévő',
      'Feldolgozás alatt',
      'Szállítás alatt',
      'Teljesítve',
      'Törölve',
    ]);
    await harness.sandbox.control.update('orderStatuses', 3, { name: 'Kiszállítva' });
    const [added] = (await harness.sandbox.control.seed({ orderStatuses: [{ shopId: 1, name: 'Visszaküldve', color: '#000000' }] })).orderStatuses;
    const again = await harness.call('/orderStatusDescriptions?full=1');
    expect(again.body.items.map((status: { name: string }) => status.name)).toEqual(
      expect.arrayContaining(['Kiszállítva', 'Visszaküldve']),
    );
    const one = await harness.call(`/orderStatusDescriptions?orderStatusId=${encodeURIComponent(orderStatusId(Number(added.innerId)))}&full=1`);
    expect(one.body.items).toEqual([expect.objectContaining({ name: 'Visszaküldve', color: '#000000' })]);
  });

  it('bumps dateUpdated when the shop owner changes a status, so an updatedAtMin pull sees only that order', async () => {
    const before = (await harness.call(`/orders/${orderId(7)}`)).body;
    await harness.sandbox.control.advanceClock(60_000);
    const since = (await harness.sandbox.control.health()).now;
    await harness.sandbox.control.update('orders', 7, { orderStatusId: 4 });
    const cursor = new Date(since).toLocaleString('sv-SE', { timeZone: 'Europe/Budapest' }).replace(' ', 'T');
    const changed = await harness.call(`/orders?updatedAtMin=${cursor}&full=1`);
    expect(changed.body.items).toHaveLength(1);
    expect(changed.body.items[0]).toMatchObject({ innerId: '7', orderStatus: { href: expect.stringContaining(orderStatusId(4)) } });
    expect(changed.body.items[0].dateUpdated > before.dateUpdated).toBe(true);
    const byStatus = await harness.call(`/orders?orderStatusId=${encodeURIComponent(orderStatusId(4))}&limit=200`);
    expect(byStatus.body.items.map((item: { href: string }) => item.href)).toContainEqual(expect.stringContaining(orderId(7)));
  });

  it('writes a status and comment through PUT {data} and reads them back; refuses bad bodies', async () => {
    const put = await harness.call(`/orders/${orderId(2)}`, {
      method: 'PUT',
      body: { data: { orderStatus: { id: orderStatusId(5) }, comment: 'Lemondva telefonon' } },
    });
    expect(put.status).toBe(200);
    const read = (await harness.call(`/orders/${orderId(2)}`)).body;
    expect(read).toMatchObject({ comment: 'Lemondva telefonon', orderStatus: { href: expect.stringContaining(orderStatusId(5)) } });
    const stored = (await harness.sandbox.control.records<{ innerId: number; orderStatusId: number }>('orders')).find((order) => order.innerId === 2);
    expect(stored?.orderStatusId).toBe(5);
    expect((await harness.call(`/orders/${orderId(2)}`, { method: 'PUT', body: { comment: 'x' } })).body.error).toBe(40001);
    expect((await harness.call(`/orders/${orderId(2)}`, { method: 'PUT', body: { data: { total: '1' } } })).body.error).toBe(40002);
    const otherShopStatus = { data: { orderStatus: { id: orderStatusId(6) } } };
    expect((await harness.call(`/orders/${orderId(2)}`, { method: 'PUT', body: otherShopStatus })).body.error).toBe(40006);
  });

  it('answers 404 with an error body for an unknown or foreign order', async () => {
    const globexOrder = orderId(31);
    for (const id of [orderId(999), globexOrder, 'bm90LWFuLWlk']) {
      const response = await harness.call(`/orders/${id}`);
      expect([response.status, response.body.error]).toEqual([404, 40401]);
    }
    expect((await harness.call(`/orders/${globexOrder}`, { shop: SEEDED.other.shop, authorization: `Basic ${Buffer.from(`${SEEDED.other.apiUsername}:${SEEDED.other.apiPassword}`).toString('base64')}` })).status).toBe(200);
  });
});
