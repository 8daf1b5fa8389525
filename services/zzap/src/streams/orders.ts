import type { FailedRecord, PulledRecord, PullStream, StreamPage } from '@junction/connector-runtime';
import type { Observation } from '@junction/connector-kit';
import {
  completeOrders,
  lastEventOf,
  laterTime,
  shiftMoscowTime,
  statusChangeKey,
  statusOf,
  toOrder,
  toStatusChange,
} from '../canonical';
import type { SellerOrderRow, ZzapClient } from '../client';
import { clientFor, ORDER_STATUS, type ZzapContext } from '../context';
import { MAX_ROW_COUNT, type ZzapCredentials, type ZzapSettings } from '../settings';

/** Where the next run reads from: the last-event time of the newest order published, as ZZap wrote it (Moscow time). */
export interface OrdersCursor {
  dateFrom: string;
}

/**
 * A run starts this far before its cursor: ZZap's servers may show a write a few seconds late, so an event stamped
 * just before the last one read could appear after it. What is read again is the same status, which publishes nothing.
 */
const OVERLAP_MS = 5 * 60_000;

/** Status names by code, fetched at most once per run and only when a change needs the old status's name. */
function statusNames(client: ZzapClient): () => Promise<Map<string, string>> {
  let names: Promise<Map<string, string>> | undefined;
  return () =>
    (names ??= client.codesTrack().then((codes) => new Map(codes.map((code) => [String(code.code_track), code.descr_track]))));
}

type OrdersPage = Omit<StreamPage<OrdersCursor>, 'cursor'>;

/**
 * Each whole order against what the connection last saw of it: never seen is a new order, a different status a
 * change, the same status nothing (an inclusive boundary or the overlap read it again).
 */
async function toPage(ctx: ZzapContext, orders: SellerOrderRow[][], names: () => Promise<Map<string, string>>): Promise<OrdersPage> {
  const observed = await ctx.observations.getMany(ORDER_STATUS, orders.map((rows) => String(rows[0].code_order)));
  const records: PulledRecord[] = [];
  const failed: FailedRecord[] = [];
  const observations: Observation[] = [];
  for (const rows of orders) {
    const key = String(rows[0].code_order);
    let order;
    try {
      order = toOrder(rows);
    } catch (error) {
      failed.push({ key, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    observations.push({ kind: ORDER_STATUS, key, value: order.status.id });
    const seen = observed.get(key);
    if (seen === undefined) {
      records.push({ key, data: order, occurredAt: order.createdAt });
    } else if (seen !== order.status.id) {
      const change = toStatusChange(order, statusOf(seen, (await names()).get(seen)));
      records.push({ key, subject: 'order.status.changed', changeKey: statusChangeKey(change), data: change, occurredAt: change.changedAt });
    }
  }
  return { records, failed, observations };
}

async function* readOrders(ctx: ZzapContext, cursor: OrdersCursor | undefined): AsyncIterable<StreamPage<OrdersCursor>> {
  const client = clientFor(ctx);
  const names = statusNames(client);
  const { rowCount } = ctx.connection.settings;
  let dateFrom = cursor && shiftMoscowTime(cursor.dateFrom, -OVERLAP_MS);
  let asked = rowCount;
  let latest = cursor?.dateFrom;
  for (;;) {
    const rows = await client.sellerOrders({ dateFrom, rowCount: asked });
    const { orders, cutAt } = completeOrders(rows, rows.length >= asked);
    if (cutAt !== undefined && orders.length === 0) {
      // Every row shares one instant: only a bigger answer gets past it.
      if (asked >= MAX_ROW_COUNT) throw new Error(`More than ${MAX_ROW_COUNT} ZZap order parts share the last-event time ${cutAt}`);
      asked = Math.min(MAX_ROW_COUNT, asked * 2);
      continue;
    }
    if (orders.length > 0) {
      const newest = laterTime(latest, lastEventOf(orders.flat()));
      latest = newest;
      yield { ...(await toPage(ctx, orders, names)), cursor: { dateFrom: newest } };
    }
    if (cutAt === undefined) return;
    dateFrom = cutAt;
    asked = rowCount;
  }
}

/**
 * GetSellerOrdersV3 by last-event date (`date_from` inclusive, oldest event first): new orders become order.created,
 * status changes made in ZZap order.status.changed.
 */
export const ordersStream: PullStream<ZzapSettings, ZzapCredentials, OrdersCursor> = {
  entityType: 'order',
  eventSubject: 'order.created',
  read: readOrders,
};
