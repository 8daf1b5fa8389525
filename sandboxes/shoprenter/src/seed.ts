import { stableSecret } from '@junction/sandbox-kit';
import { z } from 'zod';
import { DEFAULT_LOCKOUT, type ShoprenterData } from './data';
import type { Coupon, Order, OrderStatus, Shop } from './records';
import { shopTime } from './time';

function shopCredentials(name: string) {
  return {
    shop: name,
    apiUsername: `${name}_api`,
    apiPassword: stableSecret(`shoprenter/${name}/api-password`),
    clientId: stableSecret(`shoprenter/${name}/client-id`),
    clientSecret: stableSecret(`shoprenter/${name}/client-secret`, 40),
  };
}

/** Credentials of the seeded shops, identical on every start and reset. */
export const SEEDED = {
  ...shopCredentials('acme'),
  /** A second shop, for isolation checks: its credentials must not open `acme`. */
  other: shopCredentials('globex'),
};

/** The statuses a new shop starts with (our guess at Shoprenter's defaults), in inner-id order. */
export const DEFAULT_STATUSES = [
  { name: 'Függőben lévő', color: '#ff9900' },
  { name: 'Feldolgozás alatt', color: '#3366ff' },
  { name: 'Szállítás alatt', color: '#9933cc' },
  { name: 'Teljesítve', color: '#33aa33' },
  { name: 'Törölve', color: '#cc0000' },
];

export const SeedOptions = z.object({
  /** Generated orders of `acme`: deterministic content, created 7 minutes apart up to now. */
  orders: z.number().int().min(0).max(100_000).default(30),
  /** Whether legacy Basic auth still works; false answers it 403. */
  basicAuth: z.boolean().default(true),
  /** When a credential that keeps running into the rate limit is blocked, and for how long. */
  lockout: z
    .object({
      afterRefusals: z.number().int().min(1).default(DEFAULT_LOCKOUT.afterRefusals),
      withinMs: z.number().int().min(1).default(DEFAULT_LOCKOUT.withinMs),
      forMs: z.number().int().min(0).default(DEFAULT_LOCKOUT.forMs),
    })
    .prefault({}),
});
export type SeedOptions = z.infer<typeof SeedOptions>;

const FIRST_NAMES = ['Anna', 'Bence', 'Csilla', 'Dániel', 'Eszter', 'Ferenc', 'Gabriella', 'Hunor', 'Ildikó', 'János', 'Katalin', 'László'];
const LAST_NAMES = ['Nagy', 'Kovács', 'Tóth', 'Szabó', 'Horváth', 'Varga', 'Kiss', 'Molnár', 'Németh', 'Farkas', 'Balogh'];
const CITIES = [
  { city: 'Budapest', postcode: '1052' },
  { city: 'Debrecen', postcode: '4024' },
  { city: 'Szeged', postcode: '6720' },
  { city: 'Pécs', postcode: '7621' },
  { city: 'Győr', postcode: '9021' },
];
const STREETS = ['Petőfi utca', 'Kossuth Lajos tér', 'Rákóczi út', 'Ady Endre utca', 'Széchenyi sor'];
const PRODUCTS = [
  { productInnerId: 101, sku: 'MUG-001', name: 'Kerámia bögre', price: 2362 },
  { productInnerId: 102, sku: 'TEE-RED-M', name: 'Póló, piros, M', price: 4716 },
  { productInnerId: 103, sku: 'BAG-CANVAS', name: 'Vászontáska', price: 3142 },
  { productInnerId: 104, sku: 'NOTE-A5', name: 'Jegyzetfüzet A5', price: 1567 },
  { productInnerId: 105, sku: 'LAMP-DESK', name: 'Asztali lámpa', price: 11803 },
  { productInnerId: 106, sku: 'PEN-SET', name: 'Tollkészlet', price: 2755 },
];
const PAYMENTS = [
  { paymentMethodCode: 'COD', paymentMethodName: 'Utánvét' },
  { paymentMethodCode: 'BANK_TRANSFER', paymentMethodName: 'Banki átutalás' },
  { paymentMethodCode: 'BARION', paymentMethodName: 'Barion' },
];
const SHIPPINGS = [
  { shippingMethodName: 'GLS futárszolgálat', shippingCost: 1490 },
  { shippingMethodName: 'Személyes átvétel', shippingCost: 0 },
];
const COUPONS: Array<Pick<Coupon, 'code' | 'description' | 'discountType' | 'discountValue'>> = [
  { code: 'WELCOME10', description: '10% kedvezmény az első rendelésre', discountType: 'PERCENT', discountValue: 10 },
  { code: 'SAVE2000', description: '2000 Ft kedvezmény', discountType: 'FIXED', discountValue: 2000 },
  { code: 'BLACKFRIDAY', description: 'Black Friday 25%', discountType: 'PERCENT', discountValue: 25 },
];

const pick = <T>(list: readonly T[], index: number): T => list[index % list.length];
const ascii = (text: string) => text.normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase();

/** The buyer of the n-th order: every fifth order comes from a returning customer (the one of order n / 5). */
function customerOf(n: number) {
  const customer = n % 5 === 0 ? n / 5 : n;
  const firstname = pick(FIRST_NAMES, customer * 7);
  const lastname = pick(LAST_NAMES, customer);
  const place = pick(CITIES, customer);
  const address = `${pick(STREETS, customer * 3)} ${(customer % 90) + 1}.`;
  const company = customer % 3 === 0 ? `${lastname} és Társa Kft.` : '';
  return {
    firstname,
    lastname,
    email: `${ascii(firstname)}.${ascii(lastname)}.${customer}@example.hu`,
    phone: `+36 30 ${String(1_000_000 + ((customer * 7919) % 9_000_000)).replace(/(\d{3})(\d{4})$/, '$1 $2')}`,
    taxNumber: company ? `${String(10_000_000 + customer).slice(-8)}-2-41` : '',
    company,
    address,
    ...place,
  };
}

/** A deterministic order: the n-th of the shop, with 1–3 lines, every fourth with a coupon. */
function generatedOrder(n: number, shopId: number, statuses: OrderStatus[], coupons: Coupon[], createdAt: Date): Partial<Order> {
  const buyer = customerOf(n);
  const created = shopTime(createdAt);
  return {
    shopId,
    invoiceId: String(n),
    invoicePrefix: `${createdAt.getUTCFullYear()}-`,
    firstname: buyer.firstname,
    lastname: buyer.lastname,
    email: buyer.email,
    phone: buyer.phone,
    taxNumber: buyer.taxNumber,
    comment: n % 7 === 0 ? 'Kérem, délután szállítsák.' : '',
    shippingFirstname: buyer.firstname,
    shippingLastname: buyer.lastname,
    shippingCompany: buyer.company,
    shippingAddress1: buyer.address,
    shippingCity: buyer.city,
    shippingPostcode: buyer.postcode,
    shippingCountryName: 'Magyarország',
    ...pick(SHIPPINGS, n),
    paymentFirstname: buyer.firstname,
    paymentLastname: buyer.lastname,
    paymentCompany: buyer.company,
    paymentAddress1: buyer.address,
    paymentCity: buyer.city,
    paymentPostcode: buyer.postcode,
    paymentCountryName: 'Magyarország',
    ...pick(PAYMENTS, n),
    orderStatusId: pick(statuses, n).innerId,
    couponId: n % 4 === 0 && coupons.length > 0 ? pick(coupons, n / 4).innerId : null,
    dateCreated: created,
    dateUpdated: created,
  };
}

function seedShop(data: ShoprenterData, name: string, orders: number): void {
  const { shop: _name, ...credentials } = shopCredentials(name);
  const shop: Shop = data.shops.insert({ name, ...credentials });
  const statuses = DEFAULT_STATUSES.map((status) => data.orderStatuses.insert({ shopId: shop.id, ...status }));
  const coupons = COUPONS.map((coupon) => data.coupons.insert({ shopId: shop.id, ...coupon }));
  const nowMs = data.store.clock.nowMs();
  for (let n = 1; n <= orders; n++) {
    const createdAt = new Date(nowMs - (orders - n + 1) * 7 * 60_000);
    const order = data.orders.insert(generatedOrder(n, shop.id, statuses, coupons, createdAt));
    const lineCount = 1 + (n % 3);
    for (let k = 0; k < lineCount; k++) {
      const product = pick(PRODUCTS, n + k * 2);
      data.orderProducts.insert({ orderId: order.innerId, ...product, taxRate: 27, quantity: 1 + ((n + k) % 3) });
    }
  }
}

export function seed(data: ShoprenterData, options: SeedOptions): void {
  data.basicAuthEnabled = options.basicAuth;
  data.lockout.reset(options.lockout);
  seedShop(data, SEEDED.shop, options.orders);
  seedShop(data, SEEDED.other.shop, 2);
}
