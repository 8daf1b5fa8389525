import { json, listParam, stringParam, isParamObject, type ParamObject, type Reply, type Router, type SandboxRequest } from '@junction/sandbox-kit';
import { canReach, failure, jsonField, NOT_FOUND, pageRequest, pagination, reachableSites, scalarParam, withKey } from '../api';
import type { RetailCrmData } from '../data';
import { buildItem, changeOrder, createOrder, takeItemIds, TRACKED_FIELDS, type ItemInput, type TrackedField } from '../orders';
import { formatDateTime, STATUSES, type ApiKey, type Order, type OrderItem } from '../records';

/** The most orders one `/orders/upload` takes (RetailCRM's documented batch size). */
const UPLOAD_LIMIT = 50;

/** Order fields a create takes besides `items` (the rest are the CRM's defaults). */
const CREATE_FIELDS = [
  'externalId',
  'status',
  'statusComment',
  'orderMethod',
  'firstName',
  'lastName',
  'phone',
  'email',
  'customerComment',
  'managerComment',
  'managerId',
  'customFields',
] as const;

type OrderInput = Partial<Pick<Order, TrackedField | 'orderMethod' | 'statusComment' | 'customFields'>> & { items?: ItemInput[] };

/** The site a write goes to: the `site` parameter, else the key's only site. */
function siteFor(request: SandboxRequest, data: RetailCrmData, key: ApiKey): string | Reply {
  const code = scalarParam(request, 'site');
  if (code === undefined) {
    const sites = reachableSites(key, data);
    return sites.length === 1 ? sites[0] : failure(400, "Parameter 'site' is missing");
  }
  if (!data.sites.find((site) => site.code === code)) return failure(400, 'Errors in the input parameters', { site: `Site "${code}" does not exist.` });
  return canReach(key, code) ? code : failure(403, 'Access denied.');
}

/** Checks an order from a create/edit/upload body; the field-keyed messages are our wording. */
function validate(data: RetailCrmData, site: string, input: OrderInput, existingId?: number): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.status !== undefined && !STATUSES.some((status) => status.code === input.status)) errors.status = `Status "${input.status}" does not exist.`;
  const duplicate =
    input.externalId !== undefined &&
    data.orders.find((order) => order.site === site && order.externalId === input.externalId && order.id !== existingId);
  if (duplicate) errors.externalId = `Order with externalId "${input.externalId}" already exists.`;
  return errors;
}

/** Validates and creates one order; the errors of the entity when it cannot. */
function createFrom(data: RetailCrmData, site: string, input: OrderInput, key: ApiKey): Order | Record<string, string> {
  const errors = validate(data, site, input);
  const createdAt = formatDateTime(data.store.clock.now());
  const items: OrderItem[] = [];
  let itemId = takeItemIds(data, input.items?.length ?? 0);
  (input.items ?? []).forEach((itemInput, index) => {
    const item = buildItem(data, itemInput, itemId++, createdAt);
    if (typeof item === 'string') errors[`items[${index}].offer`] = item;
    else items.push(item);
  });
  if (Object.keys(errors).length > 0) return errors;
  const fields: Partial<Order> = {};
  for (const field of CREATE_FIELDS) if (input[field] !== undefined) Object.assign(fields, { [field]: input[field] });
  return createOrder(data, { ...fields, items, site }, { source: 'api', apiKeyId: key.id });
}

function isOrder(value: Order | Record<string, string>): value is Order {
  return typeof (value as Order).id === 'number';
}

function objectInput(value: unknown): value is OrderInput {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The order named by the path: `by=id` (default) or `by=externalId`, within the sites the key reaches. */
function findOrder(request: SandboxRequest, data: RetailCrmData, key: ApiKey): Order | undefined {
  const ref = request.params.ref;
  const by = scalarParam(request, 'by') ?? 'id';
  const site = scalarParam(request, 'site');
  return data.orders.find(
    (order) =>
      canReach(key, order.site) &&
      (site === undefined || order.site === site) &&
      (by === 'externalId' ? order.externalId === ref : String(order.id) === ref),
  );
}

function matchesFilter(order: Order, filter: ParamObject): boolean {
  const ids = listParam(filter, 'ids');
  const externalIds = listParam(filter, 'externalIds');
  const numbers = listParam(filter, 'numbers');
  const sites = listParam(filter, 'sites');
  const statuses = listParam(filter, 'extendedStatus');
  const group = STATUSES.find((status) => status.code === order.status)?.group;
  const createdFrom = stringParam(filter, 'createdAtFrom');
  const createdTo = stringParam(filter, 'createdAtTo');
  const createdDay = order.createdAt.slice(0, 10);
  return (
    (ids.length === 0 || ids.includes(String(order.id))) &&
    (externalIds.length === 0 || (order.externalId !== undefined && externalIds.includes(order.externalId))) &&
    (numbers.length === 0 || numbers.includes(order.number)) &&
    (sites.length === 0 || sites.includes(order.site)) &&
    (statuses.length === 0 || statuses.includes(order.status) || (group !== undefined && statuses.includes(group))) &&
    (createdFrom === undefined || createdDay >= createdFrom) &&
    (createdTo === undefined || createdDay <= createdTo)
  );
}

function filterOf(request: SandboxRequest): ParamObject {
  const filter = request.query.filter;
  return isParamObject(filter) ? filter : {};
}

export function orderRoutes(api: Router<RetailCrmData>): void {
  // Newest first, as the CRM's order list shows them (the API's default order is our guess).
  api.get(
    '/orders',
    withKey((request, data, key) => {
      const paging = pageRequest(request);
      if ('status' in paging) return paging;
      const filter = filterOf(request);
      const orders = data.orders.filter((order) => canReach(key, order.site) && matchesFilter(order, filter)).reverse();
      const start = (paging.page - 1) * paging.limit;
      return json(200, { success: true, pagination: pagination(paging.page, paging.limit, orders.length), orders: orders.slice(start, start + paging.limit) });
    }, 'order_read'),
  );

  api.get(
    '/orders/history',
    withKey((request, data, key) => {
      const paging = pageRequest(request);
      if ('status' in paging) return paging;
      const filter = filterOf(request);
      const sinceId = Number(stringParam(filter, 'sinceId') ?? 0);
      const startDate = stringParam(filter, 'startDate');
      const endDate = stringParam(filter, 'endDate');
      const orderId = stringParam(filter, 'orderId');
      const orderExternalId = stringParam(filter, 'orderExternalId');
      const records = data.history.filter(
        (record) =>
          canReach(key, record.site) &&
          record.id > sinceId &&
          (startDate === undefined || record.createdAt >= startDate) &&
          (endDate === undefined || record.createdAt <= endDate) &&
          (orderId === undefined || String(record.order.id) === orderId) &&
          (orderExternalId === undefined || record.order.externalId === orderExternalId),
      );
      const start = (paging.page - 1) * paging.limit;
      const history = records.slice(start, start + paging.limit).map(({ apiKeyId, userId, site: _site, ...record }) => ({
        ...record,
        // Whether the caller's own key made the change: what lets a connector skip its own writes.
        ...(record.source === 'api' ? { apiKey: { current: apiKeyId === key.id } } : {}),
        ...(userId !== null ? { user: { id: userId } } : {}),
      }));
      return json(200, {
        success: true,
        generatedAt: formatDateTime(data.store.clock.now()),
        history,
        pagination: pagination(paging.page, paging.limit, records.length),
      });
    }, 'order_read'),
  );

  api.get(
    '/orders/statuses',
    withKey((request, data, key) => {
      const ids = listParam(request.query, 'ids');
      const externalIds = listParam(request.query, 'externalIds');
      const orders = data.orders
        .filter((order) => canReach(key, order.site) && (ids.includes(String(order.id)) || (order.externalId !== undefined && externalIds.includes(order.externalId))))
        .map((order) => ({ id: order.id, externalId: order.externalId, status: order.status, group: STATUSES.find((status) => status.code === order.status)?.group }));
      return json(200, { success: true, orders });
    }, 'order_read'),
  );

  api.post(
    '/orders/create',
    withKey((request, data, key) => {
      const input = jsonField(request, 'order');
      if (input === undefined) return failure(400, "Parameter 'order' is missing");
      if (!objectInput(input)) return failure(400, 'Errors in the entity format');
      const site = siteFor(request, data, key);
      if (typeof site !== 'string') return site;
      const created = createFrom(data, site, input, key);
      if (!isOrder(created)) return failure(400, 'Errors in the entity format', created);
      return json(201, { success: true, id: created.id, order: created });
    }, 'order_write'),
  );

  api.post(
    '/orders/upload',
    withKey((request, data, key) => {
      const inputs = jsonField(request, 'orders');
      if (inputs === undefined) return failure(400, "Parameter 'orders' is missing");
      if (!Array.isArray(inputs) || !inputs.every(objectInput)) return failure(400, 'Errors in the entity format');
      if (inputs.length > UPLOAD_LIMIT) return failure(400, `Can not upload more than ${UPLOAD_LIMIT} orders at once`);
      const site = siteFor(request, data, key);
      if (typeof site !== 'string') return site;
      const uploaded: Order[] = [];
      const failed: Array<{ externalId?: string }> = [];
      const errors: string[] = [];
      for (const input of inputs as OrderInput[]) {
        const created = createFrom(data, site, input, key);
        if (isOrder(created)) uploaded.push(created);
        else {
          failed.push({ externalId: input.externalId });
          // As the official SDK's fixture has them: `<field>: <message>`, not saying which order each is about.
          errors.push(...Object.entries(created).map(([field, message]) => `${field}: ${message}`));
        }
      }
      const uploadedOrders = uploaded.map((order) => ({ id: order.id, externalId: order.externalId }));
      if (failed.length === 0) return json(201, { success: true, uploadedOrders, orders: uploaded });
      // Partly loaded (or not at all): RetailCRM answers its own 460 with what did and did not load.
      return json(460, { success: false, errorMsg: 'Orders are loaded with errors', errors, uploadedOrders, failedOrders: failed, orders: uploaded });
    }, 'order_write'),
  );

  api.get(
    '/orders/:ref',
    withKey((request, data, key) => {
      const order = findOrder(request, data, key);
      return order ? json(200, { success: true, order }) : NOT_FOUND();
    }, 'order_read'),
  );

  api.post(
    '/orders/:ref/edit',
    withKey((request, data, key) => {
      const input = jsonField(request, 'order');
      if (input === undefined) return failure(400, "Parameter 'order' is missing");
      if (!objectInput(input)) return failure(400, 'Errors in the entity format');
      const order = findOrder(request, data, key);
      if (!order) return NOT_FOUND();
      const errors = validate(data, order.site, input, order.id);
      if (Object.keys(errors).length > 0) return failure(400, 'Errors in the entity format', errors);
      const patch = Object.fromEntries((Object.keys(TRACKED_FIELDS) as TrackedField[]).filter((field) => input[field] !== undefined).map((field) => [field, input[field]]));
      const updated = changeOrder(data, order, patch, { source: 'api', apiKeyId: key.id });
      return json(200, { success: true, id: updated.id, order: updated });
    }, 'order_write'),
  );
}
