import type { Coupon, Order, OrderProduct } from './records';

/** Shoprenter's decimal strings: `"3990.0000"`. */
export const decimal = (value: number, places = 4) => value.toFixed(places);

export type TotalType = 'SUB_TOTAL' | 'TAX' | 'COUPON' | 'SHIPPING' | 'TOTAL';

export interface TotalLine {
  type: TotalType;
  name: string;
  value: number;
}

const round = (value: number) => Math.round(value);

/**
 * The order's total lines in display order. The coupon is taken off the gross subtotal and shown as a negative
 * value (the sign is undocumented: our guess); HUF amounts are whole forints.
 */
export function totalLines(order: Order, products: OrderProduct[], coupon: Coupon | undefined): TotalLine[] {
  const net = products.reduce((sum, line) => sum + line.price * line.quantity, 0);
  const tax = products.reduce((sum, line) => sum + (line.price * line.quantity * line.taxRate) / 100, 0);
  const gross = net + tax;
  const discount = !coupon ? 0 : coupon.discountType === 'PERCENT' ? (gross * coupon.discountValue) / 100 : Math.min(coupon.discountValue, gross);
  const lines: TotalLine[] = [
    { type: 'SUB_TOTAL', name: 'Nettó részösszeg:', value: round(net) },
    { type: 'TAX', name: 'ÁFA (27%):', value: round(tax) },
  ];
  if (coupon) lines.push({ type: 'COUPON', name: `Kupon (${coupon.code}):`, value: -round(discount) });
  lines.push({ type: 'SHIPPING', name: `${order.shippingMethodName}:`, value: order.shippingCost });
  lines.push({ type: 'TOTAL', name: 'Bruttó végösszeg:', value: round(gross) - round(discount) + order.shippingCost });
  return lines;
}
