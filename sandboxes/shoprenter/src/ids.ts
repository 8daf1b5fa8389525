/**
 * Shoprenter resource ids are base64 of `<entity>-<column>=<innerId>` (`b3JkZXItb3JkZXJfaWQ9MTcy` is
 * `order-order_id=172`); filters such as `orderStatusId` and `orderId` take these, not inner ids.
 */
export function resourceId(entity: string, column: string, innerId: number): string {
  return Buffer.from(`${entity}-${column}=${innerId}`).toString('base64');
}

/** The inner id inside a resource id of the given entity, or undefined for anything else. */
export function innerIdOf(id: string, entity: string, column: string): number | undefined {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  const match = new RegExp(`^${entity}-${column}=(\\d+)$`).exec(decoded);
  return match ? Number(match[1]) : undefined;
}

export const orderId = (innerId: number) => resourceId('order', 'order_id', innerId);
export const orderStatusId = (innerId: number) => resourceId('orderStatus', 'order_status_id', innerId);
export const orderProductId = (innerId: number) => resourceId('orderProduct', 'order_product_id', innerId);
export const orderTotalId = (innerId: number) => resourceId('orderTotal', 'order_total_id', innerId);
export const couponId = (innerId: number) => resourceId('coupon', 'coupon_id', innerId);
export const LANGUAGE_ID = resourceId('language', 'language_id', 1);
/** Every sandbox shop sells in forints only. */
export const CURRENCY_ID = resourceId('currency', 'currency_id', 1);

/** orderStatusDescription ids name both keys: `orderStatusDescription-order_status_id=1&language_id=1`. */
export const orderStatusDescriptionId = (statusInnerId: number) =>
  Buffer.from(`orderStatusDescription-order_status_id=${statusInnerId}&language_id=1`).toString('base64');
