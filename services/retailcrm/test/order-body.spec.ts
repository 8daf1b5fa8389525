import { COMMANDS } from '@junction/contracts';
import type { RcProduct } from '../src/client';
import { externalIdOf, freeTextName, matchOffer, originOf, productFilterOf, toOrderBody } from '../src/order-body';

const upsert = COMMANDS['order.upsert'].data.parse({
  sourceKey: 'zzap:c1:order:1042',
  destination: 'zzap-parts',
  productMatching: 'article',
  order: {
    sourceId: '1042',
    number: '1042',
    status: { id: '1', name: 'Новый' },
    customer: { firstName: 'Pavel', lastName: 'Sidorov', email: 'pavel@example.ru', phone: '+79161234567' },
    items: [
      { name: 'Brake pad set', article: 'ART-1', brand: 'Bosch', productSourceId: 'ext-1', quantity: 2, unitPrice: 1500 },
      { name: 'Oil filter', article: 'OC90', brand: 'Knecht', quantity: 1, unitPrice: 450 },
    ],
    totals: { currency: 'RUB', subtotal: 3450, total: 3450 },
    coupons: [],
    comment: 'Call before delivery',
    createdAt: '2024-09-23T18:00:00+03:00',
  },
});
const [brakePads, oilFilter] = upsert.order.items;

const product = (article: string | null, offers: Array<{ id: number; article?: string | null; externalId?: string | null }>): RcProduct => ({
  article,
  offers: offers.map((offer) => ({ externalId: null, article: null, ...offer })),
});

describe('externalIdOf', () => {
  it('names the source connector and order, so a retry finds the same order', () => {
    expect(externalIdOf(upsert.sourceKey, upsert.order)).toBe('zzap-1042');
    expect(externalIdOf('zzap:other-connection:order:1042', upsert.order)).toBe('zzap-1042');
  });
});

describe('originOf', () => {
  it('reads back the source order an externalId of externalIdOf names, and nothing from any other externalId', () => {
    expect(originOf(externalIdOf(upsert.sourceKey, upsert.order))).toEqual({ connector: 'zzap', sourceId: '1042' });
    expect(originOf('zzap-A-7')).toEqual({ connector: 'zzap', sourceId: 'A-7' });
    for (const other of [null, undefined, '', 'A1', 'shop-123', 'zzap-', 'ZZAP-1042']) expect(originOf(other)).toBeUndefined();
  });
});

describe('item matching', () => {
  it('searches by article or by the product id, and not at all when the item lacks it or matching is off', () => {
    expect(productFilterOf(brakePads, 'article')).toEqual({ name: 'ART-1' });
    expect(productFilterOf(brakePads, 'external_id')).toEqual({ offerExternalId: 'ext-1' });
    expect(productFilterOf(oilFilter, 'external_id')).toBeUndefined();
    expect(productFilterOf(brakePads, 'none')).toBeUndefined();
  });

  it("picks the offer with the item's article, ignoring case, not a product that merely mentions it", () => {
    const results = [product(null, [{ id: 11, article: 'ART-10' }]), product(null, [{ id: 21, article: 'art-1 ' }])];
    expect(matchOffer(results, brakePads, 'article')).toMatchObject({ id: 21 });
    expect(matchOffer([results[0]], brakePads, 'article')).toBeUndefined();
  });

  it("takes a product's article only when the product has a single offer", () => {
    expect(matchOffer([product('ART-1', [{ id: 31 }])], brakePads, 'article')).toMatchObject({ id: 31 });
    expect(matchOffer([product('ART-1', [{ id: 31 }, { id: 32 }])], brakePads, 'article')).toBeUndefined();
  });

  it("matches by the offer's externalId", () => {
    const results = [product('X', [{ id: 41, externalId: 'ext-10' }, { id: 42, externalId: 'ext-1' }])];
    expect(matchOffer(results, brakePads, 'external_id')).toMatchObject({ id: 42 });
    expect(matchOffer(results, brakePads, 'none')).toBeUndefined();
  });
});

describe('toOrderBody', () => {
  it('sends the customer, the status and matched items as offers, unmatched ones as free text', () => {
    const body = toOrderBody(upsert.order, { externalId: 'zzap-1042', status: 'client-confirmed', offers: [{ id: 1001, externalId: 'ext-1', article: 'ART-1' }, undefined] });
    expect(body).toEqual({
      externalId: 'zzap-1042',
      status: 'client-confirmed',
      firstName: 'Pavel',
      lastName: 'Sidorov',
      email: 'pavel@example.ru',
      phone: '+79161234567',
      customerComment: 'Call before delivery',
      items: [
        { offer: { id: 1001 }, quantity: 2, initialPrice: 1500 },
        { productName: 'Oil filter (Knecht OC90)', quantity: 1, initialPrice: 450 },
      ],
    });
  });

  it("leaves the status to RetailCRM's default when none is given, and names a company buyer by the company", () => {
    const order = { ...upsert.order, customer: { companyName: 'Avtodor LLC' }, comment: undefined };
    const body = toOrderBody(order, { externalId: 'zzap-1042', offers: [undefined, undefined] });
    expect(body).not.toHaveProperty('status');
    expect(body).toMatchObject({ firstName: 'Avtodor LLC', items: [{ productName: 'Brake pad set (Bosch ART-1)' }, { productName: 'Oil filter (Knecht OC90)' }] });
    expect(body).not.toHaveProperty('customerComment');
  });

  it('does not repeat an article the item name already holds', () => {
    expect(freeTextName({ ...oilFilter, name: 'Oil filter Knecht OC90' })).toBe('Oil filter Knecht OC90');
    expect(freeTextName({ ...oilFilter, brand: undefined, article: undefined })).toBe('Oil filter');
  });
});
