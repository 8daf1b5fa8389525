import { z } from 'zod';
import { ConnectorName } from './connectors';
import { documented } from './schema-docs';

// Canonical, vendor-neutral records. Connectors translate their vendor's shapes into these and back;
// the mapping service only ever sees these.

const text = () => z.string().min(1);

export const Timestamp = documented(z.iso.datetime({ offset: true }), {
  id: 'Timestamp',
  description: 'ISO 8601 date-time with a Z or +hh:mm / -hh:mm offset, e.g. 2024-09-23T18:00:00+03:00.',
});
export type Timestamp = z.infer<typeof Timestamp>;

// zod 4 numbers already reject ±Infinity and NaN, which JSON cannot carry anyway.
export const Money = documented(z.number(), {
  id: 'Money',
  description: 'An amount in major units (e.g. 12.5 = twelve and a half) of the currency of the enclosing record.',
});
export type Money = z.infer<typeof Money>;

export const CurrencyCode = documented(z.string().regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 code such as EUR'), {
  id: 'CurrencyCode',
  description: 'ISO 4217 currency code, e.g. HUF, USD, RUB.',
});
export type CurrencyCode = z.infer<typeof CurrencyCode>;

export const BillingPeriod = documented(
  z.enum(['one_time', 'weekly', 'monthly', 'quarterly', 'semi_annually', 'yearly', 'biennially', 'triennially']),
  { id: 'BillingPeriod', description: 'How often a product or line item is billed.' },
);
export type BillingPeriod = z.infer<typeof BillingPeriod>;

export const Address = documented(
  z.object({
    line1: text().optional(),
    line2: text().optional(),
    city: text().optional(),
    region: documented(text().optional(), { description: 'State, county or province.' }),
    postalCode: text().optional(),
    country: documented(text().optional(), { description: 'Country name as the source system holds it.' }),
    countryCode: documented(z.string().regex(/^[A-Z]{2}$/, 'Expected an ISO 3166-1 alpha-2 code such as HU').optional(), {
      description: 'ISO 3166-1 alpha-2 country code, when the source knows it.',
    }),
  }),
  { id: 'Address', description: 'A postal address; vendors fill it partially, so every part is optional.' },
);
export type Address = z.infer<typeof Address>;

const sourceId = () =>
  documented(text(), { description: "The record's id in the system that published it (vendor ids as strings)." });

// Emails and phones stay free text: vendors hold unvalidated values, and refusing a whole customer over a
// malformed email would lose the record; the target connector decides what its API accepts.
export const Customer = documented(
  z
    .object({
      sourceId: sourceId(),
      businessName: text().optional(),
      firstName: text().optional(),
      lastName: text().optional(),
      email: text().optional(),
      phone: text().optional(),
      address: Address.optional(),
      taxNumber: documented(text().optional(), { description: 'VAT / tax registration number.' }),
      createdAt: Timestamp.optional(),
      updatedAt: Timestamp.optional(),
    })
    .refine((customer) => Boolean(customer.businessName || customer.firstName || customer.lastName), {
      error: 'A customer needs a businessName or a firstName/lastName',
      path: ['businessName'],
    }),
  { id: 'Customer', description: 'A company or person that buys (Zomentum client, RepairShopr customer).' },
);
export type Customer = z.infer<typeof Customer>;

export const Contact = documented(
  z.object({
    sourceId: sourceId(),
    customerSourceId: documented(text(), { description: 'sourceId of the customer this contact belongs to.' }),
    firstName: text().optional(),
    lastName: text().optional(),
    email: text().optional(),
    phone: text().optional(),
    mobile: text().optional(),
    title: documented(text().optional(), { description: 'Job title.' }),
    createdAt: documented(Timestamp.optional(), { description: 'Used by "only contacts created after" filters.' }),
    updatedAt: Timestamp.optional(),
  }),
  { id: 'Contact', description: 'A person at a customer.' },
);
export type Contact = z.infer<typeof Contact>;

export const Product = documented(
  z.object({
    sourceId: sourceId(),
    name: text(),
    description: text().optional(),
    sku: text().optional(),
    category: documented(text(), {
      description: "The source system's category name (e.g. Hardware, Labor); integrations map it to the target's categories.",
    }),
    price: Money,
    cost: Money.optional(),
    billingPeriod: BillingPeriod,
    taxable: z.boolean().optional(),
    createdAt: Timestamp.optional(),
    updatedAt: Timestamp.optional(),
  }),
  { id: 'Product', description: 'A sellable product or service, priced in the currency of its source account.' },
);
export type Product = z.infer<typeof Product>;

export const DealLineItem = documented(
  z.object({
    sourceId: sourceId().optional(),
    product: Product,
    description: text().optional(),
    quantity: z.number().positive(),
    unitPrice: Money,
    unitCost: Money.optional(),
    discount: documented(Money.optional(), { description: 'Absolute discount on the whole line, in the deal currency.' }),
    billingPeriod: BillingPeriod,
  }),
  { id: 'DealLineItem', description: 'One line of a won quote.' },
);
export type DealLineItem = z.infer<typeof DealLineItem>;

export const Deal = documented(
  z.object({
    sourceId: sourceId(),
    number: documented(text().optional(), { description: 'The human-facing quote number.' }),
    title: text(),
    description: text().optional(),
    currency: CurrencyCode,
    customer: Customer,
    contacts: z.array(Contact),
    lineItems: z.array(DealLineItem),
    total: Money.optional(),
    wonAt: Timestamp,
  }),
  { id: 'Deal', description: 'A quote (Zomentum document) at the moment it was marked won.' },
);
export type Deal = z.infer<typeof Deal>;

export const OrderStatus = documented(
  z.object({
    id: documented(text(), { description: "The status's id (or code) in its own system." }),
    name: documented(text(), { description: 'Display name, as the shop operator sees it.' }),
  }),
  { id: 'OrderStatus', description: 'An order status of one specific system; integrations map statuses between systems.' },
);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const OrderCustomer = documented(
  z.object({
    sourceId: sourceId().optional(),
    firstName: text().optional(),
    lastName: text().optional(),
    companyName: text().optional(),
    email: text().optional(),
    phone: text().optional(),
  }),
  { id: 'OrderCustomer', description: 'The buyer as recorded on the order (guest checkouts have no sourceId).' },
);
export type OrderCustomer = z.infer<typeof OrderCustomer>;

export const OrderItem = documented(
  z.object({
    sourceId: sourceId().optional(),
    productSourceId: documented(text().optional(), {
      description: 'sourceId of the ordered product, for matching products by external id.',
    }),
    sku: text().optional(),
    article: documented(text().optional(), { description: 'Manufacturer part number, for matching products by article.' }),
    brand: text().optional(),
    name: text(),
    quantity: z.number().positive(),
    unitPrice: Money,
    total: Money.optional(),
    taxRate: documented(z.number().min(0).optional(), { description: 'Tax rate in percent, e.g. 27 for 27 %.' }),
  }),
  { id: 'OrderItem', description: 'One ordered product.' },
);
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderTotals = documented(
  z.object({
    currency: CurrencyCode,
    subtotal: Money,
    shipping: Money.optional(),
    discount: Money.optional(),
    tax: Money.optional(),
    total: Money,
  }),
  { id: 'OrderTotals', description: 'Order amounts; subtotal is the sum of the items before shipping, discount and tax.' },
);
export type OrderTotals = z.infer<typeof OrderTotals>;

export const Coupon = documented(
  z.object({
    code: text(),
    description: text().optional(),
    amount: documented(Money.optional(), { description: 'The discount the coupon gave on this order.' }),
  }),
  { id: 'Coupon', description: 'A coupon applied to an order.' },
);
export type Coupon = z.infer<typeof Coupon>;

export const Order = documented(
  z.object({
    sourceId: sourceId(),
    number: documented(text(), { description: 'The human-facing order number.' }),
    status: OrderStatus,
    customer: OrderCustomer,
    billingAddress: Address.optional(),
    shippingAddress: Address.optional(),
    items: z.array(OrderItem),
    totals: OrderTotals,
    coupons: z.array(Coupon),
    paymentMethod: text().optional(),
    shippingMethod: text().optional(),
    comment: documented(text().optional(), { description: "The buyer's note on the order." }),
    createdAt: Timestamp,
    updatedAt: Timestamp.optional(),
  }),
  { id: 'Order', description: 'A webshop or marketplace order.' },
);
export type Order = z.infer<typeof Order>;

export const OrderStatusChange = documented(
  z.object({
    orderSourceId: documented(text(), { description: 'sourceId of the order whose status changed.' }),
    orderNumber: text().optional(),
    changeSourceId: documented(text().optional(), {
      description: "The source system's id of this change (e.g. a history entry), when it has one.",
    }),
    orderOrigin: documented(
      z.object({ connector: ConnectorName, sourceId: documented(text(), { description: "The record's id in that system." }) }).optional(),
      {
        description:
          'The record the order was created from in another system, when the order names it (a RetailCRM order ' +
          'Junction created from ZZap order 1042 carries externalId zzap-1042). Absent for an order made in the source system.',
      },
    ),
    from: OrderStatus.optional(),
    to: OrderStatus,
    changedAt: Timestamp,
    changedBy: z.object({
      kind: documented(z.enum(['user', 'api_client', 'junction', 'system']), {
        description:
          'Who made the change: a person in the UI, another integration through the API, Junction itself, ' +
          'or automation of the source system.',
      }),
      name: text().optional(),
    }),
  }),
  { id: 'OrderStatusChange', description: "A change of an order's status in the system that published it." },
);
export type OrderStatusChange = z.infer<typeof OrderStatusChange>;
