import { Order } from '@junction/contracts';
import {
  buyerKey,
  budapestDate,
  budapestTime,
  cardChanges,
  cardFields,
  orderBody,
  orderReference,
  personBody,
  statusChangedAfter,
  webshopSheetBody,
} from '../src/translate';

const status = { id: '3006', name: 'Feldolgozás alatt' };

function order(overrides: Partial<Order> = {}): Order {
  return Order.parse({
    sourceId: '172',
    number: '1172',
    status: { id: 'b3JkZXJTdGF0dXM=', name: 'Függőben' },
    customer: { firstName: 'Péter', lastName: 'Kovács', email: 'Kovacs.Peter@example.hu', phone: '+36 30 123 4567' },
    billingAddress: { line1: 'Petőfi utca 1.', line2: '2. emelet', city: 'Budapest', postalCode: '1052', country: 'Magyarország' },
    items: [
      { name: 'Kerámia bögre', sku: 'MUG-001', quantity: 2, unitPrice: 2362, taxRate: 27 },
      { name: 'Tollkészlet', quantity: 1, unitPrice: 2755.12345 },
    ],
    totals: { currency: 'HUF', subtotal: 7479.12, shipping: 990, discount: 472.4, total: 10000 },
    coupons: [{ code: 'WELCOME10', amount: 472.4 }],
    shippingMethod: 'GLS',
    createdAt: '2026-03-01T23:30:00Z',
    ...overrides,
  });
}

describe('buyerKey', () => {
  it('keys a buyer by e-mail, case and spaces aside, so two orders share a contact', () => {
    expect(buyerKey({ email: ' Kovacs.Peter@Example.hu ' })).toBe('buyer:email:kovacs.peter@example.hu');
    expect(buyerKey({ email: 'kovacs.peter@example.hu', firstName: 'Other' })).toBe('buyer:email:kovacs.peter@example.hu');
  });

  it('falls back to name and phone digits, and to nothing without them', () => {
    expect(buyerKey({ firstName: 'Anna', lastName: 'Nagy', phone: '+36 (30) 111-2222' })).toBe('buyer:name-phone:nagy-anna:36301112222');
    expect(buyerKey({ firstName: 'Anna', lastName: 'Nagy' })).toBeUndefined();
    expect(buyerKey({ phone: '+36301112222' })).toBeUndefined();
  });
});

describe('personBody and webshopSheetBody', () => {
  it('creates a Person with names, e-mail and phone; the sheet is named family name first', () => {
    expect(personBody(order().customer)).toEqual({
      Type: 'Person',
      FirstName: 'Péter',
      LastName: 'Kovács',
      Email: 'Kovacs.Peter@example.hu',
      Phone: '+36 30 123 4567',
    });
    expect(webshopSheetBody('3', '41', order().customer)).toEqual({ CategoryId: '3', ContactId: '41', Name: 'Kovács Péter' });
  });

  it('names a buyer without a person name after the company or e-mail (MiniCRM needs a name)', () => {
    expect(personBody({ companyName: 'Demo Kft.', email: 'info@demo.hu' })).toEqual({ Type: 'Person', LastName: 'Demo Kft.', Email: 'info@demo.hu' });
    expect(personBody({ email: 'info@demo.hu' })).toMatchObject({ LastName: 'info@demo.hu' });
    expect(webshopSheetBody('3', '41', { companyName: 'Demo Kft.', firstName: 'Anna' }).Name).toBe('Demo Kft.');
  });
});

describe('orderBody', () => {
  it('carries items, shipping, the coupon as a negative line, the customer and the card fields', () => {
    const body = orderBody(order(), '41', 'JN-ABC', { status, couponCodesField: 'Text1301' });
    expect(body).toEqual({
      CustomerId: '41',
      ReferenceId: 'JN-ABC',
      Number: '1172',
      CurrencyCode: 'HUF',
      Subject: 'Webshop #1172',
      Performance: '2026-03-02',
      Customer: { Name: 'Kovács Péter', Country: 'Magyarország', PostalCode: '1052', City: 'Budapest', Address: 'Petőfi utca 1., 2. emelet' },
      Items: [
        { SKU: 'MUG-001', Name: 'Kerámia bögre', PriceNet: '2362', Quantity: '2', Unit: 'db', VAT: '27' },
        { Name: 'Tollkészlet', PriceNet: '2755.1235', Quantity: '1', Unit: 'db' },
        { Name: 'Szállítás: GLS', PriceNet: '990', Quantity: '1', Unit: 'db' },
        { SKU: 'WELCOME10', Name: 'Kupon: WELCOME10', PriceNet: '-472.4', Quantity: '1', Unit: 'db' },
      ],
      Project: { StatusId: '3006', Text1301: 'WELCOME10' },
    });
  });

  it('gives the discount no coupon accounts for to the coupons without an amount, or names it a discount', () => {
    const coupons = [
      { code: 'A10', amount: 100 },
      { code: 'FREESHIP' },
      { code: 'B5' },
    ];
    const lines = orderBody(order({ coupons, totals: { currency: 'HUF', subtotal: 1, discount: 250, total: 1 } }), '41', 'R', { status }).Items;
    expect(lines.slice(2)).toEqual([
      { SKU: 'A10', Name: 'Kupon: A10', PriceNet: '-100', Quantity: '1', Unit: 'db' },
      { SKU: 'FREESHIP,B5', Name: 'Kupon: FREESHIP, B5', PriceNet: '-150', Quantity: '1', Unit: 'db' },
    ]);
    const plain = orderBody(order({ coupons: [], totals: { currency: 'HUF', subtotal: 1, discount: 50, total: 1 } }), '41', 'R', { status }).Items;
    expect(plain.at(-1)).toEqual({ Name: 'Kedvezmény', PriceNet: '-50', Quantity: '1', Unit: 'db' });
  });

  it('leaves the coupon field out when the connection names none, and falls back to the shipping address', () => {
    const body = orderBody(order({ billingAddress: undefined, shippingAddress: { city: 'Szeged' } }), '41', 'R', { status });
    expect(body.Project).toEqual({ StatusId: '3006' });
    expect(body.Customer).toEqual({ Name: 'Kovács Péter', City: 'Szeged' });
  });
});

describe('orderReference', () => {
  it('is stable per sourceKey and differs between orders', () => {
    const key = 'shoprenter:sr-1:order:172';
    expect(orderReference(key)).toBe(orderReference(key));
    expect(orderReference(key)).toMatch(/^JN-[0-9A-F]{20}$/);
    expect(orderReference('shoprenter:sr-1:order:173')).not.toBe(orderReference(key));
  });
});

describe('cardChanges', () => {
  const wanted = cardFields(order(), { status, couponCodesField: 'Text1301' });

  it('writes nothing when the card shows the status (by label) and the codes already', () => {
    expect(cardChanges({ Name: 'Webshop #1172', StatusId: 'Feldolgozás alatt', Text1301: 'WELCOME10' }, wanted, status)).toEqual({});
  });

  it('writes only what differs', () => {
    expect(cardChanges({ StatusId: 'Új megrendelés', Text1301: 'WELCOME10' }, wanted, status)).toEqual({ StatusId: '3006' });
    expect(cardChanges({ StatusId: 'Feldolgozás alatt' }, wanted, status)).toEqual({ Text1301: 'WELCOME10' });
  });
});

describe('budapestDate', () => {
  it('is the date in Hungary, where MiniCRM keeps its times', () => {
    expect(budapestDate('2026-07-01T22:30:00Z')).toBe('2026-07-02');
    expect(budapestDate('2026-01-01T10:00:00+02:00')).toBe('2026-01-01');
  });
});

describe('statusChangedAfter', () => {
  it('compares MiniCRM’s Hungarian time of a status change with the source state’s instant', () => {
    // 10:30 UTC is 11:30 in Budapest in March (CET), 12:30 in July (CEST).
    expect(budapestTime('2026-03-02T10:30:00Z')).toBe('2026-03-02 11:30:00');
    expect(statusChangedAfter('2026-03-02 12:00:00', '2026-03-02T10:30:00Z')).toBe(true);
    expect(statusChangedAfter('2026-03-02 11:30:00', '2026-03-02T10:30:00Z')).toBe(false);
    expect(statusChangedAfter('2026-07-02 12:00:00', '2026-07-02T10:30:00Z')).toBe(false);
  });

  it('tells nothing from an empty or unreadable time', () => {
    expect(statusChangedAfter('', '2026-03-02T10:30:00Z')).toBe(false);
    expect(statusChangedAfter('2026-03-02T12:00:00', '2026-03-02T10:30:00Z')).toBe(false);
  });
});
