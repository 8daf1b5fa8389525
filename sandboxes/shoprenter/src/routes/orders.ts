import { json, stringParam, type Reply, type Router, type SandboxRequest } from '@junction/sandbox-kit';
import { guarded, type AuthMode, type Caller } from '../auth';
import type { ShoprenterData } from '../data';
import { apiError, notFound } from '../errors';
import * as ids from '../ids';
import { listReply } from '../listing';
import { presentOrder, presentOrderExtend, presentOrderProduct, presentOrderTotals } from '../present';
import type { Order } from '../records';
import { DATE_PARAM, DATETIME_PARAM } from '../time';

type Filter = (order: Order) => boolean;

/** Datetime bounds compare as text: both sides are `YYYY-MM-DDTHH:MM:SS` in shop time. */
const DATETIME_FILTERS: Array<[string, (order: Order, value: string) => boolean]> = [
  ['createdAtMin', (order, value) => order.dateCreated >= value],
  ['createdAtMax', (order, value) => order.dateCreated <= value],
  ['updatedAtMin', (order, value) => order.dateUpdated >= value],
  ['updatedAtMax', (order, value) => order.dateUpdated <= value],
];

const DATE_FILTERS: Array<[string, (order: Order, value: string) => boolean]> = [
  ['createdAt', (order, value) => order.dateCreated.startsWith(value)],
  ['updatedAt', (order, value) => order.dateUpdated.startsWith(value)],
];

/** The documented `/orders` filters, or the 400 a malformed one gets. */
function orderFilters(request: SandboxRequest): Filter[] | Reply {
  const filters: Filter[] = [];
  for (const [name, test] of DATETIME_FILTERS) {
    const value = stringParam(request.query, name);
    if (value === undefined) continue;
    if (!DATETIME_PARAM.test(value)) return apiError(400, 40009, `${name} must be a datetime like 2013-01-01T10:30:00`);
    filters.push((order) => test(order, value));
  }
  for (const [name, test] of DATE_FILTERS) {
    const value = stringParam(request.query, name);
    if (value === undefined) continue;
    if (!DATE_PARAM.test(value)) return apiError(400, 40017, `${name} must be a date like 2013-01-01`);
    filters.push((order) => test(order, value));
  }
  const innerId = stringParam(request.query, 'innerId');
  if (innerId !== undefined) filters.push((order) => String(order.innerId) === innerId);
  const innerIdMin = stringParam(request.query, 'innerIdMin');
  if (innerIdMin !== undefined) {
    if (!/^\d+$/.test(innerIdMin)) return apiError(400, 40005, 'innerIdMin must be an integer');
    filters.push((order) => order.innerId >= Number(innerIdMin));
  }
  const statusId = stringParam(request.query, 'orderStatusId');
  if (statusId !== undefined) {
    const statusInnerId = ids.innerIdOf(statusId, 'orderStatus', 'order_status_id');
    if (statusInnerId === undefined) return apiError(400, 40006, `Invalid resource id: ${statusId}`);
    filters.push((order) => order.orderStatusId === statusInnerId);
  }
  const email = stringParam(request.query, 'email');
  if (email !== undefined) filters.push((order) => order.email.toLowerCase() === email.toLowerCase());
  if (stringParam(request.query, 'excludeAbandonedCart') === '1') filters.push((order) => order.orderStatusId !== 0);
  return filters;
}

/** The stored orders, not copies: a listing presents one page of them (a pull's query matches every later order). */
function matchingOrders(request: SandboxRequest, data: ShoprenterData, caller: Caller): { orders: ReadonlyArray<Readonly<Order>> } | Reply {
  const filters = orderFilters(request);
  if (!Array.isArray(filters)) return filters;
  return { orders: data.orders.view((order) => order.shopId === caller.shop.id && filters.every((filter) => filter(order))) };
}

function orderById(data: ShoprenterData, caller: Caller, id: string): Order | undefined {
  const innerId = ids.innerIdOf(id, 'order', 'order_id');
  const order = innerId === undefined ? undefined : data.orders.get(innerId);
  return order?.shopId === caller.shop.id ? order : undefined;
}

/** Orders with their lines and coupons. */
function presentOrders(orders: ReadonlyArray<Readonly<Order>>, data: ShoprenterData, caller: Caller, extend: boolean) {
  return orders.map((order) => {
    const coupon = order.couponId === null ? undefined : data.coupons.get(order.couponId);
    const orderLines = data.orderProducts.where('order', String(order.innerId));
    return extend ? presentOrderExtend(order, orderLines, coupon, caller) : presentOrder(order, orderLines, coupon, caller);
  });
}

/** Order fields a PUT may change; the rest are read-only (40002) or unknown (40010). */
const WRITABLE = new Set([
  'comment',
  'email',
  'phone',
  'firstname',
  'lastname',
  'shippingFirstname',
  'shippingLastname',
  'shippingCompany',
  'shippingAddress1',
  'shippingCity',
  'shippingPostcode',
  'paymentFirstname',
  'paymentLastname',
  'paymentCompany',
  'paymentAddress1',
  'paymentCity',
  'paymentPostcode',
]);
const READ_ONLY = new Set(['id', 'innerId', 'href', 'total', 'dateCreated', 'dateUpdated', 'orderProducts', 'orderTotals']);

type PatchResult = { patch: Partial<Order> } | { refusal: Reply };

function orderPatch(body: unknown, data: ShoprenterData, caller: Caller): PatchResult {
  const refuse = (status: number, code: number, message: string) => ({ refusal: apiError(status, code, message) });
  const fields = (body as { data?: unknown } | undefined)?.data;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return refuse(400, 40001, 'Data parameter not found');
  const patch: Partial<Order> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'orderStatus') {
      const statusId = (value as { id?: unknown } | null)?.id;
      const innerId = typeof statusId === 'string' ? ids.innerIdOf(statusId, 'orderStatus', 'order_status_id') : undefined;
      const status = innerId === undefined ? undefined : data.orderStatuses.get(innerId);
      if (!status || status.shopId !== caller.shop.id) return refuse(400, 40006, 'orderStatus: invalid resource id');
      patch.orderStatusId = status.innerId;
    } else if (READ_ONLY.has(name)) {
      return refuse(400, 40002, `${name} is a read-only field`);
    } else if (!WRITABLE.has(name)) {
      return refuse(400, 40010, `Unknown parameter: ${name}`);
    } else if (typeof value !== 'string') {
      return refuse(400, 40005, `${name} must be a string`);
    } else {
      (patch as Record<string, string>)[name] = value;
    }
  }
  return { patch };
}

export function orderRoutes(api: Router<ShoprenterData>, mode: AuthMode): void {
  for (const [path, extend] of [['/orders', false], ['/orderExtend', true]] as const) {
    api.get(
      path,
      guarded(mode, (request, data, caller) => {
        const matched = matchingOrders(request, data, caller);
        if (!('orders' in matched)) return matched;
        const { orders } = matched;
        const href = (order: Order) => `${caller.baseUrl}${path}/${ids.orderId(order.innerId)}`;
        const present = (page: Array<Readonly<Order>>) => presentOrders(page, data, caller, extend);
        return listReply(request, caller, orders, { path, href, present, withPageCount: false });
      }),
    );
    api.get(
      `${path}/:id`,
      guarded(mode, (request, data, caller) => {
        const order = orderById(data, caller, request.params.id);
        if (!order) return notFound(request.path);
        return json(200, presentOrders([order], data, caller, extend)[0]);
      }),
    );
  }

  api.put(
    '/orders/:id',
    guarded(mode, (request, data, caller) => {
      const order = orderById(data, caller, request.params.id);
      if (!order) return notFound(request.path);
      const result = orderPatch(request.body, data, caller);
      if ('refusal' in result) return result.refusal;
      const updated = data.orders.update(order.innerId, result.patch);
      return json(200, presentOrders([updated ?? order], data, caller, false)[0]);
    }),
  );

  api.get(
    '/orderProducts',
    guarded(mode, (request, data, caller) => {
      const order = orderForQuery(request, data, caller);
      if (!order) return apiError(400, 40004, 'orderId is a required query parameter');
      const lines = data.orderProducts.where('order', String(order.innerId));
      return listReply(request, caller, lines, {
        path: '/orderProducts',
        href: (line) => `${caller.baseUrl}/orderProducts/${ids.orderProductId(line.innerId)}`,
        present: (page) => page.map((line) => presentOrderProduct(line, caller, order)),
        withPageCount: true,
      });
    }),
  );

  api.get(
    '/orderProducts/:id',
    guarded(mode, (request, data, caller) => {
      const innerId = ids.innerIdOf(request.params.id, 'orderProduct', 'order_product_id');
      const line = innerId === undefined ? undefined : data.orderProducts.get(innerId);
      const order = line && data.orders.get(line.orderId);
      if (!line || !order || order.shopId !== caller.shop.id) return notFound(request.path);
      return json(200, presentOrderProduct(line, caller, order));
    }),
  );

  api.get(
    '/orderTotals',
    guarded(mode, (request, data, caller) => {
      const order = orderForQuery(request, data, caller);
      if (!order) return apiError(400, 40004, 'orderId is a required query parameter');
      const lines = data.orderProducts.where('order', String(order.innerId));
      const coupon = order.couponId === null ? undefined : data.coupons.get(order.couponId);
      const totals = presentOrderTotals(order, lines, coupon, caller);
      return listReply(request, caller, totals, { path: '/orderTotals', href: (total) => total.href, present: (page) => page, withPageCount: true });
    }),
  );
}

/** The order named by `?orderId=<resource id>` (the filter of /orderProducts and /orderTotals). */
function orderForQuery(request: SandboxRequest, data: ShoprenterData, caller: Caller): Order | undefined {
  const id = stringParam(request.query, 'orderId');
  return id === undefined ? undefined : orderById(data, caller, id);
}
