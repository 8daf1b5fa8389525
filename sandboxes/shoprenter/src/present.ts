import type { Caller } from './auth';
import * as ids from './ids';
import { decimal, totalLines } from './money';
import type { Coupon, Order, OrderProduct, OrderStatus } from './records';

export const orderHref = (caller: Caller, innerId: number) => `${caller.baseUrl}/orders/${ids.orderId(innerId)}`;
export const orderStatusHref = (caller: Caller, innerId: number) => `${caller.baseUrl}/orderStatuses/${ids.orderStatusId(innerId)}`;
export const couponHref = (caller: Caller, innerId: number) => `${caller.baseUrl}/coupons/${ids.couponId(innerId)}`;
const languageHref = (caller: Caller) => `${caller.baseUrl}/languages/${ids.LANGUAGE_ID}`;
const currencyHref = (caller: Caller) => `${caller.baseUrl}/currencies/${ids.CURRENCY_ID}`;

export function presentLanguage(caller: Caller) {
  return {
    href: languageHref(caller),
    id: ids.LANGUAGE_ID,
    innerId: '1',
    name: 'Hungarian',
    code: 'hu',
    locale: 'hu_HU',
    sortOrder: '1',
    status: '1',
  };
}

/** The shop's one currency; amounts are in it, so the order's multiplier `value` is 1. */
export function presentCurrency(caller: Caller) {
  return {
    href: currencyHref(caller),
    id: ids.CURRENCY_ID,
    name: 'Forint',
    code: 'HUF',
    symbolLeft: '',
    symbolRight: ' Ft',
    decimalPlace: '0',
    value: '1.00000000',
    status: '1',
    dateUpdated: '2020-01-01 00:00:00',
  };
}

export function presentOrderStatus(status: OrderStatus, caller: Caller) {
  const id = ids.orderStatusId(status.innerId);
  return {
    href: orderStatusHref(caller, status.innerId),
    id,
    innerId: String(status.innerId),
    orderStatusDescriptions: { href: `${caller.baseUrl}/orderStatusDescriptions?orderStatusId=${encodeURIComponent(id)}` },
  };
}

export function presentOrderStatusDescription(status: OrderStatus, caller: Caller) {
  const id = ids.orderStatusDescriptionId(status.innerId);
  return {
    href: `${caller.baseUrl}/orderStatusDescriptions/${id}`,
    id,
    name: status.name,
    color: status.color,
    orderStatus: { href: orderStatusHref(caller, status.innerId) },
    language: { href: languageHref(caller) },
  };
}

export function presentCoupon(coupon: Coupon, caller: Caller) {
  return {
    href: couponHref(caller, coupon.innerId),
    id: ids.couponId(coupon.innerId),
    code: coupon.code,
    discountType: coupon.discountType,
    percentDiscountValue: decimal(coupon.discountType === 'PERCENT' ? coupon.discountValue : 0),
    fixDiscountValue: decimal(coupon.discountType === 'FIXED' ? coupon.discountValue : 0),
    loginRequired: '0',
    freeShipping: '0',
    dateStart: '0000-00-00',
    dateEnd: '0000-00-00',
    status: '1',
    description: coupon.description,
    dateCreated: coupon.dateCreated.replace('T', ' '),
    dateUpdated: coupon.dateUpdated.replace('T', ' '),
  };
}

export function presentOrderProduct(line: OrderProduct, caller: Caller, order: Order) {
  const gross = line.price * (1 + line.taxRate / 100);
  return {
    href: `${caller.baseUrl}/orderProducts/${ids.orderProductId(line.innerId)}`,
    id: ids.orderProductId(line.innerId),
    innerId: String(line.innerId),
    name: line.name,
    sku: line.sku,
    productInnerId: String(line.productInnerId),
    modelNumber: {},
    originalPrice: decimal(line.price),
    price: decimal(line.price),
    grossPrice: decimal(gross),
    originalGrossPrice: decimal(gross),
    total: decimal(line.price * line.quantity),
    taxRate: decimal(line.taxRate),
    // No quantity field in REST: it is what was taken from warehouse 1.
    stock1: String(order.orderStatusId === 0 ? 0 : line.quantity),
    stock2: '0',
    stock3: '0',
    stock4: '0',
    subtractStock: '1',
    dateCreated: order.dateCreated,
    dateUpdated: order.dateCreated,
    order: { href: orderHref(caller, order.innerId) },
  };
}

export function presentOrderTotals(order: Order, lines: OrderProduct[], coupon: Coupon | undefined, caller: Caller) {
  return totalLines(order, lines, coupon).map((line, index) => {
    // Deterministic total ids: ten slots per order.
    const innerId = order.innerId * 10 + index;
    return {
      href: `${caller.baseUrl}/orderTotals/${ids.orderTotalId(innerId)}`,
      id: ids.orderTotalId(innerId),
      name: line.name,
      valueText: `${line.value.toLocaleString('hu-HU').replace(/\s/g, '.')} Ft`,
      value: decimal(line.value),
      sortOrder: String(index + 1),
      type: line.type,
      key: line.type === 'COUPON' ? 'CART_AMOUNT_DISCOUNT' : '',
      description: '',
      dateCreated: order.dateCreated,
      dateUpdated: order.dateCreated,
      order: { href: orderHref(caller, order.innerId) },
    };
  });
}

/** The fields shared by `/orders` and `/orderExtend`; all strings, as the vendor writes them. */
function orderFields(order: Order, lines: OrderProduct[], coupon: Coupon | undefined, caller: Caller) {
  const id = ids.orderId(order.innerId);
  const total = totalLines(order, lines, coupon).find((line) => line.type === 'TOTAL')?.value ?? 0;
  return {
    href: orderHref(caller, order.innerId),
    id,
    innerId: String(order.innerId),
    invoiceId: order.invoiceId,
    invoicePrefix: order.invoicePrefix,
    firstname: order.firstname,
    lastname: order.lastname,
    phone: order.phone,
    fax: {},
    email: order.email,
    taxNumber: order.taxNumber,
    ip: '',
    comment: order.comment,
    shippingFirstname: order.shippingFirstname,
    shippingLastname: order.shippingLastname,
    shippingCompany: order.shippingCompany,
    shippingAddress1: order.shippingAddress1,
    shippingAddress2: '',
    shippingCity: order.shippingCity,
    shippingPostcode: order.shippingPostcode,
    shippingZoneName: '',
    shippingCountryName: order.shippingCountryName,
    shippingAddressFormat: '',
    shippingMethodName: order.shippingMethodName,
    shippingMethodTaxRate: '27.0000',
    shippingMethodTaxName: 'ÁFA 27%',
    shippingMethodExtension: '',
    paymentFirstname: order.paymentFirstname,
    paymentLastname: order.paymentLastname,
    paymentCompany: order.paymentCompany,
    paymentAddress1: order.paymentAddress1,
    paymentAddress2: '',
    paymentCity: order.paymentCity,
    paymentPostcode: order.paymentPostcode,
    paymentZoneName: '',
    paymentCountryName: order.paymentCountryName,
    paymentAddressFormat: '',
    paymentMethodName: order.paymentMethodName,
    paymentMethodCode: order.paymentMethodCode,
    paymentMethodTaxRate: '0.0000',
    paymentMethodTaxName: '',
    paymentMethodAfter: '0',
    total: decimal(total),
    value: '1.00000000',
    couponTaxRate: coupon ? '27.0000' : '-1.0000',
    loyaltyPointsTaxRate: '-1.0000',
    dateCreated: order.dateCreated,
    dateUpdated: order.dateUpdated,
    // Guest checkouts: the sandbox has no customer accounts (the customer's data is on the order).
    customer: null,
    orderStatus: order.orderStatusId === 0 ? null : { href: orderStatusHref(caller, order.orderStatusId) },
  };
}

export function presentOrder(order: Order, lines: OrderProduct[], coupon: Coupon | undefined, caller: Caller) {
  const id = encodeURIComponent(ids.orderId(order.innerId));
  return {
    ...orderFields(order, lines, coupon, caller),
    language: { href: languageHref(caller) },
    currency: { href: currencyHref(caller) },
    orderTotals: { href: `${caller.baseUrl}/orderTotals?orderId=${id}` },
    orderProducts: { href: `${caller.baseUrl}/orderProducts?orderId=${id}` },
  };
}

/** `/orderExtend`: the order with its lines, totals, coupon (null without one: our guess), language and currency embedded. */
export function presentOrderExtend(order: Order, lines: OrderProduct[], coupon: Coupon | undefined, caller: Caller) {
  return {
    ...orderFields(order, lines, coupon, caller),
    href: `${caller.baseUrl}/orderExtend/${ids.orderId(order.innerId)}`,
    language: presentLanguage(caller),
    currency: presentCurrency(caller),
    coupon: coupon ? presentCoupon(coupon, caller) : null,
    orderTotals: presentOrderTotals(order, lines, coupon, caller),
    orderProducts: lines.map((line) => presentOrderProduct(line, caller, order)),
    orderGiftWrappings: [],
    orderProductAddons: [],
  };
}
