import type { FailedRecord, PulledRecord, PullStream, StreamPage } from '@junction/connector-runtime';
import type { Observation } from '@junction/connector-kit';
import type { OrderStatus } from '@junction/contracts';
import { orderSourceIdOf, statusIdOf, toOrder, toStatusChange } from '../canonical';
import { SrOrder, SrRecordId, type OrderFilter, type OrderPage } from '../client';
import { clientFor } from '../context';
import { readOrderStatuses } from '../order-statuses';
import type { ShoprenterCredentials, ShoprenterSettings } from '../settings';
import { shopTimeAt } from '../shop-time';

/** What the connection last saw of each order: its status id (`ctx.observations`, key = the order's sourceId). */
export const ORDER_STATUS = 'order_status';

/**
 * Where the pull stands. A pass reads every finished order with `since <= dateUpdated <= until` (shop time) in
 * ascending id order, a page at a time by `innerIdMin`, and commits the last id of each page: a crashed or paused
 * run goes on after it. `until` is fixed when the pass begins, so orders changed meanwhile wait for the next pass
 * (whose `since` is at most their new dateUpdated) instead of slipping past the id already read. A finished pass
 * moves `since` to the latest dateUpdated it read; the boundary is inclusive, and the orders read again there
 * produce nothing, because their status equals the one observed.
 */
export interface OrdersCursor {
  /** Inclusive lower bound in shop time; absent until a first pass has finished. */
  since?: string;
  /** The pass in progress. */
  pass?: { until: string; afterId: number; latest?: string };
}

/** The vendor calls a pull makes. */
export interface OrderSource {
  countOrders(filter: OrderFilter): Promise<number | undefined>;
  orderExtendPage(filter: OrderFilter): Promise<OrderPage>;
  orderStatuses(): Promise<OrderStatus[]>;
}

export interface ObservedStatuses {
  getMany(kind: string, keys: readonly string[]): Promise<Map<string, string>>;
}

interface ParsedPage {
  orders: SrOrder[];
  failed: FailedRecord[];
  /** Inner ids of every record on the page, in the order listed, parsed or not. */
  ids: number[];
}

/** Each record parses alone: one that does not fails by itself. */
function parsePage(items: unknown[]): ParsedPage {
  const page: ParsedPage = { orders: [], failed: [], ids: [] };
  items.forEach((item, index) => {
    const named = SrRecordId.safeParse(item);
    const innerId = named.success ? Number(named.data.innerId) : Number.NaN;
    if (Number.isInteger(innerId)) page.ids.push(innerId);
    const parsed = SrOrder.safeParse(item);
    if (parsed.success) {
      page.orders.push(parsed.data);
      return;
    }
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(order)'}: ${issue.message}`);
    const key = Number.isInteger(innerId) ? String(innerId) : (named.data?.id ?? `unidentified-${index}`);
    page.failed.push({ key, error: `Shoprenter order does not parse: ${issues.slice(0, 5).join('; ')}` });
  });
  return page;
}

/**
 * The page's events: an order never observed is `order.created`; an observed order whose status moved is
 * `order.status.changed` (change key: from, to and when); an order whose status is the observed one is nothing.
 */
export function orderRecords(
  orders: SrOrder[],
  statuses: ReadonlyMap<string, OrderStatus>,
  observed: ReadonlyMap<string, string>,
): { records: PulledRecord[]; failed: FailedRecord[]; observations: Observation[] } {
  const records: PulledRecord[] = [];
  const failed: FailedRecord[] = [];
  const observations: Observation[] = [];
  const statusNamed = (id: string): OrderStatus => statuses.get(id) ?? { id, name: id };
  for (const order of orders) {
    const key = orderSourceIdOf(order);
    try {
      const statusId = statusIdOf(order);
      if (!statusId) throw new Error('the order has no status (an unfinished order)');
      const seen = observed.get(key);
      if (seen === statusId) continue;
      if (seen === undefined) {
        const data = toOrder(order, statusNamed(statusId));
        records.push({ key, data, occurredAt: data.createdAt });
      } else {
        const data = toStatusChange(order, statusNamed(seen), statusNamed(statusId));
        records.push({
          key,
          subject: 'order.status.changed',
          changeKey: `${seen}>${statusId}@${order.dateUpdated}`,
          data,
          occurredAt: data.changedAt,
        });
      }
      observations.push({ kind: ORDER_STATUS, key, value: statusId });
    } catch (error) {
      failed.push({ key, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { records, failed, observations };
}

const byId = (statuses: OrderStatus[]) => new Map(statuses.map((status) => [status.id, status]));

const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Cursors are stored as JSON: leave absent bounds out rather than write them as undefined. */
function definedOnly<T extends Record<string, string | undefined>>(fields: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<Record<keyof T, string>>;
}

/** Pages of the orders changed since the cursor; see OrdersCursor. */
export async function* readOrders(
  source: OrderSource,
  observed: ObservedStatuses,
  cursor: OrdersCursor | undefined,
  nowMs: () => number = Date.now,
): AsyncIterable<StreamPage<OrdersCursor>> {
  const since = cursor?.since;
  const { until } = cursor?.pass ?? { until: shopTimeAt(nowMs()) };
  let afterId = cursor?.pass?.afterId ?? 0;
  let latest = cursor?.pass?.latest ?? since;
  const window = { updatedAtMin: since, updatedAtMax: until };
  // The whole pass's count (a resumed pass too), so a run's progress reads done of total.
  const total = await source.countOrders(window);
  let statuses = byId(await source.orderStatuses());
  for (;;) {
    const page = await source.orderExtendPage({ ...window, innerIdMin: afterId + 1 });
    const { orders, failed, ids } = parsePage(page.items);
    assertAscending(ids, afterId);
    if (page.hasMore && ids.length === 0) throw new Error('Shoprenter listed a page of orders without ids: cannot page on');
    const unknownStatus = (order: SrOrder) => {
      const id = statusIdOf(order);
      return id !== undefined && !statuses.has(id);
    };
    if (orders.some(unknownStatus)) {
      // A status the shop owner added during the pass.
      statuses = byId(await source.orderStatuses());
    }
    const keys = orders.map(orderSourceIdOf);
    const events = orderRecords(orders, statuses, await observed.getMany(ORDER_STATUS, keys));
    afterId = ids.at(-1) ?? afterId;
    for (const order of orders) latest = later(latest, order.dateUpdated);
    const finished = !page.hasMore;
    yield {
      records: events.records,
      failed: [...failed, ...events.failed],
      observations: events.observations,
      cursor: finished ? definedOnly({ since: latest }) : { ...definedOnly({ since }), pass: { until, afterId, ...definedOnly({ latest }) } },
      ...(total === undefined ? {} : { total }),
    };
    if (finished) return;
  }
}

/**
 * The cursor pages by id, which relies on Shoprenter listing orders in ascending id order (as its fixtures do). If
 * it ever does not, orders would be skipped silently: stop the run loudly instead.
 */
function assertAscending(ids: number[], afterId: number): void {
  let previous = afterId;
  for (const id of ids) {
    if (id <= previous) {
      throw new Error(`Shoprenter listed order ${id} after order ${previous}: orders are expected in ascending id order`);
    }
    previous = id;
  }
}

export const ordersStream: PullStream<ShoprenterSettings, ShoprenterCredentials, OrdersCursor> = {
  entityType: 'order',
  eventSubject: 'order.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    const source: OrderSource = {
      countOrders: (filter) => client.countOrders(filter),
      orderExtendPage: (filter) => client.orderExtendPage(filter),
      orderStatuses: () => readOrderStatuses(client),
    };
    return readOrders(source, ctx.observations, cursor);
  },
};
