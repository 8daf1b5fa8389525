import { createHash } from 'node:crypto';
import type { Address, Order, OrderCustomer, OrderItem, OrderStatus } from '@junction/contracts';
import { wallClockText } from '@junction/schedules';

// Canonical order -> MiniCRM request bodies. Pure, so every rule here is unit-tested without a vendor.

export interface PersonBody {
  Type: 'Person';
  FirstName?: string;
  LastName?: string;
  Email?: string;
  Phone?: string;
}

export interface ProjectBody {
  CategoryId: string;
  ContactId: string;
  Name: string;
}

export interface OrderItemBody {
  SKU?: string;
  Name: string;
  PriceNet: string;
  Quantity: string;
  Unit: string;
  VAT?: string;
}

export interface OrderBody {
  CustomerId: string;
  ReferenceId: string;
  Number: string;
  CurrencyCode: string;
  Subject: string;
  /** The order date, Hungarian local time. */
  Performance: string;
  Customer: { Name: string; Country?: string; PostalCode?: string; City?: string; Address?: string };
  Items: OrderItemBody[];
  /** Fields of the order's card in the Order product. */
  Project: Record<string, string>;
}

/** Where the order's card gets its status and, when the connection names a field, the coupon codes. */
export interface CardTarget {
  status: OrderStatus;
  couponCodesField?: string;
}

/** Every webshop line is counted in pieces ("darab"). */
const UNIT = 'db';

/**
 * The ID-map key of a buyer, so all orders of one person share one contact and one Webshop data sheet: the e-mail
 * when there is one, else name and phone; a buyer with neither gets a contact per order (undefined here).
 */
export function buyerKey(customer: OrderCustomer): string | undefined {
  const email = customer.email?.trim().toLowerCase();
  if (email) return `buyer:email:${email.replace(/\s+/g, '')}`;
  const name = displayName(customer);
  const phone = customer.phone?.replace(/\D/g, '');
  if (name && phone) return `buyer:name-phone:${name.toLowerCase().replace(/\s+/g, '-')}:${phone}`;
  return undefined;
}

/** How MiniCRM shows the buyer: the company, else the name in Hungarian order (family name first). */
export function displayName(customer: OrderCustomer): string | undefined {
  const person = [customer.lastName, customer.firstName].filter(Boolean).join(' ');
  return customer.companyName ?? (person || undefined);
}

/** A Person needs a first or last name; a buyer known only by company or e-mail is named after it. */
export function personBody(customer: OrderCustomer): PersonBody {
  const named = customer.firstName || customer.lastName;
  return {
    Type: 'Person',
    ...defined({
      FirstName: customer.firstName,
      LastName: named ? customer.lastName : (customer.companyName ?? customer.email ?? 'Webshop buyer'),
      Email: customer.email,
      Phone: customer.phone,
    }),
  };
}

/** The buyer's data sheet in the Webshop product. */
export function webshopSheetBody(categoryId: string, contactId: string, customer: OrderCustomer): ProjectBody {
  return { CategoryId: categoryId, ContactId: contactId, Name: displayName(customer) ?? customer.email ?? 'Webshop buyer' };
}

/**
 * The order's external id in MiniCRM, derived from its sourceKey (shop connection and order), so a retry after a
 * lost answer finds the order it created by its card's ReferenceId.
 */
export function orderReference(sourceKey: string): string {
  return `JN-${createHash('sha256').update(sourceKey).digest('hex').slice(0, 20).toUpperCase()}`;
}

export function orderBody(order: Order, customerId: string, reference: string, card: CardTarget): OrderBody {
  const address = order.billingAddress ?? order.shippingAddress;
  return {
    CustomerId: customerId,
    ReferenceId: reference,
    Number: order.number,
    CurrencyCode: order.totals.currency,
    Subject: `Webshop #${order.number}`,
    Performance: budapestDate(order.createdAt),
    Customer: {
      Name: displayName(order.customer) ?? order.customer.email ?? order.number,
      ...defined({
        Country: address?.country,
        PostalCode: address?.postalCode,
        City: address?.city,
        Address: streetOf(address),
      }),
    },
    Items: [...order.items.map(itemLine), ...shippingLines(order), ...discountLines(order)],
    Project: cardFields(order, card),
  };
}

/** The card fields an order should have: its mapped status and, when configured, its coupon codes. */
export function cardFields(order: Order, card: CardTarget): Record<string, string> {
  return {
    StatusId: card.status.id,
    ...(card.couponCodesField ? { [card.couponCodesField]: couponCodes(order) } : {}),
  };
}

/**
 * What to write so a card shows `wanted` (from cardFields). The Order API shows the card's status by its label,
 * so it is compared with the status name the integration's map holds.
 */
export function cardChanges(current: Record<string, unknown>, wanted: Record<string, string>, status: OrderStatus): Record<string, string> {
  return Object.fromEntries(
    Object.entries(wanted).filter(([field, value]) =>
      field === 'StatusId' ? textOf(current.StatusId) !== status.name && textOf(current.StatusId) !== value : textOf(current[field]) !== value,
    ),
  );
}

export function couponCodes(order: Order): string {
  return order.coupons.map((coupon) => coupon.code).join(', ');
}

function itemLine(item: OrderItem): OrderItemBody {
  return {
    ...defined({ SKU: item.sku }),
    Name: item.name,
    PriceNet: amount(item.unitPrice),
    Quantity: String(item.quantity),
    Unit: UNIT,
    ...(item.taxRate === undefined ? {} : { VAT: String(item.taxRate) }),
  };
}

/** Shipping is a line of its own, so the MiniCRM order adds up to what the buyer pays. */
function shippingLines(order: Order): OrderItemBody[] {
  const shipping = order.totals.shipping ?? 0;
  if (shipping <= 0) return [];
  const name = order.shippingMethod ? `Szállítás: ${order.shippingMethod}` : 'Szállítás';
  return [{ Name: name, PriceNet: amount(shipping), Quantity: '1', Unit: UNIT }];
}

/**
 * Coupons become negative lines (the MiniCRM order module has no coupon field): one per coupon that says what it
 * gave, and one for the rest of the order's discount, named after the coupons that did not say (or "Kedvezmény").
 */
function discountLines(order: Order): OrderItemBody[] {
  const priced = order.coupons.filter((coupon) => coupon.amount);
  const lines = priced.map((coupon) => discountLine(`Kupon: ${coupon.code}`, coupon.amount ?? 0, coupon.code));
  const covered = priced.reduce((sum, coupon) => sum + Math.abs(coupon.amount ?? 0), 0);
  const rest = round(Math.abs(order.totals.discount ?? 0) - covered);
  if (rest > 0) {
    const codes = order.coupons.filter((coupon) => !coupon.amount).map((coupon) => coupon.code);
    lines.push(discountLine(codes.length > 0 ? `Kupon: ${codes.join(', ')}` : 'Kedvezmény', rest, codes.join(',') || undefined));
  }
  return lines;
}

function discountLine(name: string, value: number, sku: string | undefined): OrderItemBody {
  return { ...defined({ SKU: sku }), Name: name, PriceNet: amount(-Math.abs(value)), Quantity: '1', Unit: UNIT };
}

function streetOf(address: Address | undefined): string | undefined {
  return [address?.line1, address?.line2].filter(Boolean).join(', ') || undefined;
}

/** MiniCRM times are Hungarian local time without a zone: `YYYY-MM-DD HH:MM:SS`. */
export function budapestTime(timestamp: string): string {
  return wallClockText('Europe/Budapest', Date.parse(timestamp)).replace('T', ' ');
}

/** MiniCRM dates are Hungarian local dates. */
export function budapestDate(timestamp: string): string {
  return budapestTime(timestamp).slice(0, 10);
}

const MINICRM_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Whether MiniCRM changed a card's status (its `StatusUpdatedAt`) after `sourceStateAt`, the time the source's state
 * that asks for a status was current. Both are compared as Hungarian wall-clock text, which orders them except within
 * the hour repeated when the clocks go back. An empty or unreadable time tells nothing: false.
 */
export function statusChangedAfter(statusUpdatedAt: string, sourceStateAt: string): boolean {
  return MINICRM_TIME.test(statusUpdatedAt) && statusUpdatedAt > budapestTime(sourceStateAt);
}

/** Decimal text with at most 4 places, as MiniCRM shows amounts ("500.00" is read the same as "500"). */
function amount(value: number): string {
  return String(round(value));
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function textOf(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** Drops absent and blank values: MiniCRM would store '' over nothing. */
function defined<T extends Record<string, string | undefined>>(fields: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value.trim() !== '')) as {
    [K in keyof T]?: string;
  };
}
