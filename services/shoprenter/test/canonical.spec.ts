import { EVENTS } from '@junction/contracts';
import { toOrder, toOrderStatuses, toStatusChange } from '../src/canonical';
import { SrLanguage, SrOrder, SrOrderStatus, SrOrderStatusDescription } from '../src/client';
import { normalizeShopTime, shopTimeAt, shopTimeToIso } from '../src/shop-time';
import { languageId, rawDescription, rawOrder, rawStatus, statusId } from './fixtures';

const pending = { id: statusId(1), name: 'Függőben lévő' };
const order = (overrides: Record<string, unknown> = {}) => SrOrder.parse(rawOrder(172, overrides));

describe('shop time', () => {
  it('reads Budapest wall time with the offset of its season', () => {
    expect(shopTimeToIso('2024-07-01T10:00:00')).toBe('2024-07-01T10:00:00+02:00');
    expect(shopTimeToIso('2024-01-15 08:05:09')).toBe('2024-01-15T08:05:09+01:00');
    expect(new Date(shopTimeToIso('2024-01-15T08:05:09')!).toISOString()).toBe('2024-01-15T07:05:09.000Z');
  });

  it('takes the later instant in the hour the clocks go back, and moves a skipped spring time an hour on', () => {
    expect(shopTimeToIso('2024-10-27T01:59:59')).toBe('2024-10-27T01:59:59+02:00');
    expect(shopTimeToIso('2024-10-27T02:30:00')).toBe('2024-10-27T02:30:00+01:00');
    expect(shopTimeToIso('2024-10-27T03:00:00')).toBe('2024-10-27T03:00:00+01:00');
    expect(shopTimeToIso('2024-03-31T01:59:59')).toBe('2024-03-31T01:59:59+01:00');
    expect(shopTimeToIso('2024-03-31T02:30:00')).toBe('2024-03-31T03:30:00+02:00');
    expect(shopTimeToIso('2024-03-31T03:00:00')).toBe('2024-03-31T03:00:00+02:00');
  });

  it('refuses zero and impossible dates, and writes the filters’ form', () => {
    expect(normalizeShopTime('0000-00-00 00:00:00')).toBeUndefined();
    expect(normalizeShopTime('-0001-11-30T00:00:00')).toBeUndefined();
    expect(normalizeShopTime('2019-02-30T10:00:00')).toBeUndefined();
    expect(normalizeShopTime('2013-12-31 11:45:51')).toBe('2013-12-31T11:45:51');
    expect(shopTimeAt(Date.UTC(2024, 6, 1, 8, 0, 0))).toBe('2024-07-01T10:00:00');
    expect(shopTimeAt(Date.UTC(2024, 11, 31, 23, 30, 0))).toBe('2025-01-01T00:30:00');
  });
});

describe('toOrderStatuses', () => {
  it('names each status in Hungarian, else in any language, else by its id', () => {
    const languages = [SrLanguage.parse({ id: languageId(2), code: 'en' }), SrLanguage.parse({ id: languageId(1), code: 'hu' })];
    const statuses = [1, 2, 3].map((innerId) => SrOrderStatus.parse(rawStatus(innerId)));
    const descriptions = [
      rawDescription(1, 2, 'Pending'),
      rawDescription(1, 1, 'Függőben lévő'),
      rawDescription(2, 2, 'Shipped'),
      rawDescription(3, 1, {}),
    ].map((description) => SrOrderStatusDescription.parse(description));
    expect(toOrderStatuses(languages, statuses, descriptions)).toEqual([
      { id: statusId(1), name: 'Függőben lévő' },
      { id: statusId(2), name: 'Shipped' },
      { id: statusId(3), name: statusId(3) },
    ]);
  });
});

describe('toOrder', () => {
  it('is a valid order.created with net lines, the total lines, buyer, addresses and zoned times', () => {
    const data = EVENTS['order.created'].data.parse(toOrder(order(), pending));
    expect(data).toEqual({
      sourceId: '172',
      number: '172',
      status: pending,
      customer: { firstName: 'Anna', lastName: 'Nagy', companyName: 'Nagy és Társa Kft.', email: 'anna@example.hu', phone: '+36201234567' },
      billingAddress: { line1: 'Petőfi utca 1.', city: 'Budapest', postalCode: '1052', country: 'Magyarország' },
      shippingAddress: { line1: 'Petőfi utca 1.', city: 'Budapest', postalCode: '1052', country: 'Magyarország', countryCode: 'HU' },
      items: [
        {
          sourceId: expect.any(String),
          productSourceId: Buffer.from('product-product_id=101').toString('base64'),
          sku: 'MUG-001',
          name: 'Kerámia bögre',
          quantity: 2,
          unitPrice: 2000,
          total: 4000,
          taxRate: 27,
        },
      ],
      totals: { currency: 'HUF', subtotal: 4000, tax: 1080, shipping: 1490, total: 6570 },
      coupons: [],
      paymentMethod: 'Utánvét',
      shippingMethod: 'GLS futárszolgálat',
      createdAt: '2024-07-01T10:00:00+02:00',
      updatedAt: '2024-07-02T11:30:00+02:00',
    });
  });

  it('carries the coupon with the discount it gave, and names the invoice number once assigned', () => {
    const totals = [
      { type: 'SUB_TOTAL', name: 'Nettó részösszeg:', value: '4000.0000' },
      { type: 'TAX', name: 'ÁFA (27%):', value: '1080.0000' },
      { type: 'COUPON', name: 'Kupon (WELCOME10):', value: '-508.0000' },
      { type: 'TOTAL', name: 'Bruttó végösszeg:', value: '4572.0000' },
    ];
    const withCoupon = order({ invoiceId: '17', invoicePrefix: 'SR-2024-', coupon: { code: 'WELCOME10', description: '10% kedvezmény' }, orderTotals: totals });
    const data = toOrder(withCoupon, pending);
    expect(data.number).toBe('SR-2024-17');
    expect(data.coupons).toEqual([{ code: 'WELCOME10', description: '10% kedvezmény', amount: 508 }]);
    expect(data.totals).toEqual({ currency: 'HUF', subtotal: 4000, tax: 1080, discount: 508, total: 4572 });
    // Without the embedded coupon (an empty {}), the COUPON total still names it.
    expect(toOrder(order({ coupon: {}, orderTotals: totals }), pending).coupons).toEqual([{ code: 'WELCOME10', amount: 508 }]);
  });

  it("converts amounts into the order's currency with its rate", () => {
    const data = toOrder(order({ currency: { code: 'eur' }, value: '0.00250000' }), pending);
    expect(data.totals).toMatchObject({ currency: 'EUR', subtotal: 10, tax: 2.7, total: 16.425 });
    expect(data.items[0]).toMatchObject({ unitPrice: 5, total: 10 });
  });

  it('reads the quantity from net total / price when no warehouse says, and refuses a line without any', () => {
    const line = rawOrder(1).orderProducts[0];
    const fromTotal = order({ orderProducts: [{ ...line, stock1: '0', total: '6000.0000' }] });
    expect(toOrder(fromTotal, pending).items[0].quantity).toBe(3);
    const none = order({ orderProducts: [{ ...line, stock1: '0', total: '0.0000' }] });
    expect(() => toOrder(none, pending)).toThrow('line "Kerámia bögre" has no quantity');
  });

  it('refuses a record whose dates or amounts are not readable', () => {
    expect(SrOrder.safeParse(rawOrder(5, { dateCreated: '0000-00-00 00:00:00' })).success).toBe(false);
    expect(SrOrder.safeParse(rawOrder(5, { total: 'n/a' })).success).toBe(false);
    expect(SrOrder.safeParse(rawOrder(5, { currency: { href: 'https://demo.api.myshoprenter.hu/currencies/x' } })).success).toBe(false);
  });
});

describe('toStatusChange', () => {
  it('is a valid order.status.changed by the shop owner, at the order’s last update', () => {
    const shipped = { id: statusId(3), name: 'Szállítás alatt' };
    const data = EVENTS['order.status.changed'].data.parse(toStatusChange(order(), pending, shipped));
    expect(data).toEqual({
      orderSourceId: '172',
      orderNumber: '172',
      from: pending,
      to: shipped,
      changedAt: '2024-07-02T11:30:00+02:00',
      changedBy: { kind: 'user' },
    });
  });
});
