import type { EventData } from '@junction/connector-runtime';
import type { Address, OrderStatus } from '@junction/contracts';
import {
  linkedId,
  type SrLanguage,
  type SrOrder,
  type SrOrderProduct,
  type SrOrderStatus,
  type SrOrderStatusDescription,
} from './client';
import { shopTimeToIso } from './shop-time';

// Shoprenter records as canonical ones. Pure: everything they need is passed in.

/** The language whose status names the shop owner sees (the shops are Hungarian). */
const SHOP_LANGUAGE = 'hu';

/**
 * The shop's order statuses with their names: each status's description in Hungarian, else in any language, else
 * its id (a status without any description still needs a name to be mapped by).
 */
export function toOrderStatuses(
  languages: SrLanguage[],
  statuses: SrOrderStatus[],
  descriptions: SrOrderStatusDescription[],
): OrderStatus[] {
  const hungarian = languages.find((language) => language.code?.toLowerCase() === SHOP_LANGUAGE)?.id;
  const names = new Map<string, string>();
  for (const description of descriptions) {
    if (!description.name) continue;
    const statusId = linkedId(description.orderStatus);
    const inHungarian = hungarian !== undefined && description.language && linkedId(description.language) === hungarian;
    if (inHungarian || !names.has(statusId)) names.set(statusId, description.name);
  }
  return statuses.map((status) => ({ id: status.id, name: names.get(status.id) ?? status.id }));
}

/** The resource id of the order's status, as `/orderStatuses` lists it; undefined for an unfinished order. */
export function statusIdOf(order: SrOrder): string | undefined {
  return order.orderStatus ? linkedId(order.orderStatus) : undefined;
}

/** Shoprenter's order number: invoice prefix + number once one is assigned ("0" until then), else the order id. */
export function orderNumberOf(order: SrOrder): string {
  const invoiced = order.invoiceId && order.invoiceId !== '0';
  return invoiced ? `${order.invoicePrefix ?? ''}${order.invoiceId}` : String(order.innerId);
}

/** The order's id in canonical records and record keys: the inner id, which an outer id set later does not change. */
export function orderSourceIdOf(order: Pick<SrOrder, 'innerId'>): string {
  return String(order.innerId);
}

function isoTime(local: string): string {
  const iso = shopTimeToIso(local);
  if (!iso) throw new Error(`"${local}" is not a shop time`);
  return iso;
}

/** Amounts are kept in the shop's default currency; `value` converts them to the order's (4 decimals, as sent). */
function inOrderCurrency(order: SrOrder): (amount: number) => number {
  const rate = order.value ?? 1;
  return (amount) => Math.round(amount * rate * 10_000) / 10_000;
}

function address(fields: Address): Address | undefined {
  return Object.values(fields).some((value) => value !== undefined) ? fields : undefined;
}

function countryCode(country: { isoCode2?: string } | undefined): string | undefined {
  const code = country?.isoCode2?.toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) ? code : undefined;
}

/** REST has no quantity on a line: it is what was taken from the four warehouses, else net total / net price. */
function quantityOf(line: SrOrderProduct): number {
  const taken = (line.stock1 ?? 0) + (line.stock2 ?? 0) + (line.stock3 ?? 0) + (line.stock4 ?? 0);
  if (taken > 0) return taken;
  if (line.total && line.price > 0) return Math.round((line.total / line.price) * 10_000) / 10_000;
  throw new Error(`line "${line.name}" has no quantity`);
}

type OrderData = EventData<'order.created'>;

function toItems(order: SrOrder): OrderData['items'] {
  const money = inOrderCurrency(order);
  return order.orderProducts.map((line) => {
    const quantity = quantityOf(line);
    const productSourceId = line.productInnerId ?? (line.product ? linkedId(line.product) : undefined);
    return {
      sourceId: line.id,
      ...(productSourceId ? { productSourceId } : {}),
      ...(line.sku ? { sku: line.sku } : {}),
      name: line.name,
      quantity,
      unitPrice: money(line.price),
      total: money(line.total ?? line.price * quantity),
      ...(line.taxRate !== undefined && line.taxRate >= 0 ? { taxRate: line.taxRate } : {}),
    };
  });
}

/** Sum of the order's total lines of one type, or undefined when it has none. */
function totalOf(order: SrOrder, type: string): number | undefined {
  const lines = order.orderTotals.filter((line) => line.type === type);
  return lines.length === 0 ? undefined : lines.reduce((sum, line) => sum + line.value, 0);
}

/** A COUPON total names its coupon in brackets ("Kupon (WELCOME10):"), when orderExtend has no coupon object. */
function couponCodeInTotalName(name: string | undefined): string | undefined {
  return /\(([^()\s]+)\)/.exec(name ?? '')?.[1];
}

/** The coupon of orderExtend with the discount it gave (the COUPON total; its sign is undocumented, so taken absolute). */
function toCoupons(order: SrOrder): OrderData['coupons'] {
  const money = inOrderCurrency(order);
  const discount = totalOf(order, 'COUPON');
  const amount = discount === undefined ? {} : { amount: money(Math.abs(discount)) };
  if (order.coupon) {
    return [{ code: order.coupon.code, ...(order.coupon.description ? { description: order.coupon.description } : {}), ...amount }];
  }
  return order.orderTotals
    .filter((line) => line.type === 'COUPON')
    .flatMap((line) => {
      const code = couponCodeInTotalName(line.name);
      return code ? [{ code, amount: money(Math.abs(line.value)) }] : [];
    });
}

function toTotals(order: SrOrder, items: OrderData['items']): OrderData['totals'] {
  const money = inOrderCurrency(order);
  const optional = (type: string, transform: (value: number) => number = (value) => value) => {
    const value = totalOf(order, type);
    return value === undefined ? undefined : money(transform(value));
  };
  const subtotal = totalOf(order, 'SUB_TOTAL');
  const itemsNet = items.reduce((sum, item) => sum + (item.total ?? item.unitPrice * item.quantity), 0);
  return {
    currency: order.currency.code.toUpperCase(),
    // SUB_TOTAL is net, before shipping, discount and tax, as the canonical subtotal.
    subtotal: subtotal === undefined ? Math.round(itemsNet * 10_000) / 10_000 : money(subtotal),
    shipping: optional('SHIPPING'),
    discount: optional('COUPON', Math.abs),
    tax: optional('TAX'),
    total: money(totalOf(order, 'TOTAL') ?? order.total),
  };
}

/** The canonical order; throws (and the order fails alone) when a line cannot be read. */
export function toOrder(order: SrOrder, status: OrderStatus): OrderData {
  const items = toItems(order);
  return {
    sourceId: orderSourceIdOf(order),
    number: orderNumberOf(order),
    status,
    customer: {
      ...(order.customer ? { sourceId: linkedId(order.customer) } : {}),
      firstName: order.firstname,
      lastName: order.lastname,
      companyName: order.paymentCompany ?? order.shippingCompany,
      email: order.email,
      phone: order.phone,
    },
    billingAddress: address({
      line1: order.paymentAddress1,
      line2: order.paymentAddress2,
      city: order.paymentCity,
      region: order.paymentZoneName,
      postalCode: order.paymentPostcode,
      country: order.paymentCountryName,
      countryCode: countryCode(order.paymentCountry),
    }),
    shippingAddress: address({
      line1: order.shippingAddress1,
      line2: order.shippingAddress2,
      city: order.shippingCity,
      region: order.shippingZoneName,
      postalCode: order.shippingPostcode,
      country: order.shippingCountryName,
      countryCode: countryCode(order.shippingCountry),
    }),
    items,
    totals: toTotals(order, items),
    coupons: toCoupons(order),
    paymentMethod: order.paymentMethodName,
    shippingMethod: order.shippingMethodName,
    comment: order.comment,
    createdAt: isoTime(order.dateCreated),
    updatedAt: isoTime(order.dateUpdated),
  };
}

/**
 * A status change seen by comparing the order's status with the one observed last. Shoprenter keeps no author:
 * order statuses are changed by the shop owner (this integration never writes to Shoprenter), and the order's last
 * update is when.
 */
export function toStatusChange(order: SrOrder, from: OrderStatus, to: OrderStatus): EventData<'order.status.changed'> {
  return {
    orderSourceId: orderSourceIdOf(order),
    orderNumber: orderNumberOf(order),
    from,
    to,
    changedAt: isoTime(order.dateUpdated),
    changedBy: { kind: 'user' },
  };
}
