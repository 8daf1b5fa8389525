import type { RetailCrmData } from './data';
import { formatDateTime, type Author, type HistoryRecord, type Order, type OrderItem } from './records';
import type { StoredRecord } from '@junction/sandbox-kit';

/** Fills the defaults of a fresh RetailCRM order and its derived fields (number, sums). */
export function completeOrder(record: StoredRecord): Order {
  const partial = record as Partial<Order> & { id: number };
  const items = partial.items ?? [];
  const summ = items.reduce((total, item) => total + item.initialPrice * item.quantity - item.discountTotal * item.quantity, 0);
  return {
    slug: partial.id,
    // RetailCRM numbers an order `<id><site letter>`; the letter is "A" for the first site (our simplification).
    number: `${partial.id}A`,
    status: 'new',
    statusComment: '',
    orderMethod: 'shopping-cart',
    firstName: '',
    lastName: '',
    phone: '',
    email: '',
    customerComment: '',
    managerComment: '',
    managerId: null,
    currency: 'RUB',
    fromApi: false,
    payments: {},
    customFields: {},
    ...partial,
    items,
    summ,
    totalSumm: summ,
  } as Order;
}

/** Fields an order edit may change, with the snake_case names history records use for them. */
export const TRACKED_FIELDS = {
  status: 'status',
  firstName: 'first_name',
  lastName: 'last_name',
  phone: 'phone',
  email: 'email',
  customerComment: 'customer_comment',
  managerComment: 'manager_comment',
  managerId: 'manager',
  externalId: 'external_id',
} as const satisfies Partial<Record<keyof Order, string>>;

export type TrackedField = keyof typeof TRACKED_FIELDS;

/** History shows statuses (and managers) as objects, plain fields as values. */
function historyValue(field: TrackedField, value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (field === 'status') return { code: value };
  if (field === 'managerId') return { id: value };
  return value;
}

/** The reduced order a non-creating history record carries. */
function reducedOrder(order: Order): Partial<Order> {
  return { id: order.id, ...(order.externalId ? { externalId: order.externalId } : {}), managerId: order.managerId, site: order.site, status: order.status };
}

function authorFields(author: Author): Pick<HistoryRecord, 'source' | 'apiKeyId' | 'userId'> {
  return author.source === 'api'
    ? { source: 'api', apiKeyId: author.apiKeyId, userId: null }
    : { source: 'user', apiKeyId: null, userId: author.userId };
}

export function createOrder(data: RetailCrmData, fields: Partial<Order> & { site: string }, author: Author): Order {
  const now = formatDateTime(data.store.clock.now());
  const order = data.orders.insert({ createdAt: now, statusUpdatedAt: now, fromApi: author.source === 'api', ...fields });
  data.history.insert({
    created: true,
    field: 'status',
    oldValue: null,
    newValue: { code: order.status },
    order,
    site: order.site,
    ...authorFields(author),
  });
  return order;
}

/** Applies a change and writes one history record per changed field, as RetailCRM does. */
export function changeOrder(data: RetailCrmData, order: Order, patch: Partial<Pick<Order, TrackedField>>, author: Author): Order {
  const changed = (Object.keys(TRACKED_FIELDS) as TrackedField[]).filter((field) => field in patch && patch[field] !== order[field]);
  if (changed.length === 0) return order;
  const statusMoved = changed.includes('status') ? { statusUpdatedAt: formatDateTime(data.store.clock.now()) } : {};
  const updated = data.orders.update(order.id, { ...patch, ...statusMoved }) as Order;
  for (const field of changed) {
    data.history.insert({
      field: TRACKED_FIELDS[field],
      oldValue: historyValue(field, order[field]),
      newValue: historyValue(field, updated[field]),
      order: reducedOrder(updated),
      site: updated.site,
      ...authorFields(author),
    });
  }
  return updated;
}

/** An item as the order stores it, from the `items[]` of a create/edit request, matched against the catalogue. */
export interface ItemInput {
  offer?: { id?: number; externalId?: string; xmlId?: string };
  productName?: string;
  initialPrice?: number;
  quantity?: number;
  comment?: string;
}

export function buildItem(data: RetailCrmData, input: ItemInput, id: number, createdAt: string): OrderItem | string {
  const quantity = input.quantity ?? 1;
  const reference = input.offer;
  if (reference && (reference.id !== undefined || reference.externalId !== undefined || reference.xmlId !== undefined)) {
    const offers = data.products.all().flatMap((product) => product.offers);
    const offer = offers.find(
      (candidate) =>
        (reference.id !== undefined && candidate.id === Number(reference.id)) ||
        (reference.externalId !== undefined && candidate.externalId === reference.externalId) ||
        (reference.xmlId !== undefined && candidate.xmlId === reference.xmlId),
    );
    if (!offer) return 'Offer not found';
    const price = input.initialPrice ?? offer.price;
    return {
      id,
      initialPrice: price,
      discountTotal: 0,
      quantity,
      status: 'new',
      comment: input.comment ?? '',
      productName: input.productName ?? offer.name,
      prices: [{ price, quantity }],
      createdAt,
      offer: { id: offer.id, externalId: offer.externalId, xmlId: offer.xmlId, article: offer.article, name: offer.name },
    };
  }
  if (!input.productName) return 'Product name is required for an item without an offer';
  const price = input.initialPrice ?? 0;
  return {
    id,
    initialPrice: price,
    discountTotal: 0,
    quantity,
    status: 'new',
    comment: input.comment ?? '',
    productName: input.productName,
    prices: [{ price, quantity }],
    createdAt,
  };
}

/**
 * The first of `count` new item ids; item ids are unique across orders, like RetailCRM's order_product ids. A counter,
 * not the largest id stored: reading every order for each one made a 20,000-order upload quadratic.
 */
export function takeItemIds(data: RetailCrmData, count: number): number {
  const first = data.itemIds.last + 1;
  data.itemIds.last += count;
  return first;
}
