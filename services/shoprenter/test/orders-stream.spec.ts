import type { StreamPage } from '@junction/connector-runtime';
import type { OrderStatus } from '@junction/contracts';
import type { OrderFilter } from '../src/client';
import { ORDER_STATUS, readOrders, type OrdersCursor, type OrderSource } from '../src/streams/orders';
import { rawOrder, statusId } from './fixtures';

const STATUSES: OrderStatus[] = [
  { id: statusId(1), name: 'Függőben lévő' },
  { id: statusId(2), name: 'Feldolgozás alatt' },
];
const NOW = Date.UTC(2024, 6, 10, 10, 0, 0); // 2024-07-10T12:00:00 in Budapest

/** A shop of raw orders served like /orderExtend: filtered by the window, ascending ids, `limit` a page. */
function shop(orders: Array<Record<string, unknown>>, limit = 2) {
  const calls: OrderFilter[] = [];
  const matching = (filter: OrderFilter) =>
    orders.filter((order) => {
      const updated = String(order.dateUpdated);
      return (
        (!filter.updatedAtMin || updated >= filter.updatedAtMin) &&
        (!filter.updatedAtMax || updated <= filter.updatedAtMax) &&
        Number(order.innerId) >= (filter.innerIdMin ?? 0)
      );
    });
  const source: OrderSource = {
    async countOrders(filter) {
      return matching(filter).length;
    },
    async orderExtendPage(filter) {
      calls.push(filter);
      const found = matching(filter);
      return { items: found.slice(0, limit), hasMore: found.length > limit };
    },
    async orderStatuses() {
      return STATUSES;
    },
  };
  return { source, calls };
}

/** Observations as the runtime keeps them: stored per page once its events are durable. */
function observationStore() {
  const stored = new Map<string, string>();
  return {
    stored,
    async getMany(kind: string, keys: readonly string[]) {
      expect(kind).toBe(ORDER_STATUS);
      return new Map(keys.flatMap((key) => (stored.has(key) ? [[key, stored.get(key)!] as const] : [])));
    },
  };
}

async function pull(source: OrderSource, observed: ReturnType<typeof observationStore>, cursor?: OrdersCursor, stopAfter = Infinity) {
  const pages: Array<StreamPage<OrdersCursor>> = [];
  for await (const page of readOrders(source, observed, cursor, () => NOW)) {
    for (const { key, value } of page.observations ?? []) observed.stored.set(key, value);
    pages.push(page);
    if (pages.length >= stopAfter) break;
  }
  return pages;
}

const at = (day: number) => `2024-07-0${day}T09:00:00`;

describe('readOrders', () => {
  it('reads a pass page by page with its total, then moves since to the latest update it read', async () => {
    const orders = [1, 2, 3, 4, 5].map((id) => rawOrder(id, { dateUpdated: at(id) }));
    const { source, calls } = shop(orders);
    const pages = await pull(source, observationStore());
    expect(pages.map((page) => page.records.map((record) => record.key))).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(pages.every((page) => page.total === 5)).toBe(true);
    expect(pages[0].cursor).toEqual({ pass: { until: '2024-07-10T12:00:00', afterId: 2, latest: at(2) } });
    expect(pages.at(-1)?.cursor).toEqual({ since: at(5) });
    expect(calls.map((call) => call.innerIdMin)).toEqual([1, 3, 5]);
  });

  it('resumes a pass after its last committed page, and the next pass reads only what changed', async () => {
    const orders = [1, 2, 3, 4, 5].map((id) => rawOrder(id, { dateUpdated: at(id) }));
    const { source, calls } = shop(orders);
    const observed = observationStore();
    const [first] = await pull(source, observed, undefined, 1);
    const resumed = await pull(source, observed, first.cursor);
    expect(resumed.flatMap((page) => page.records.map((record) => record.key))).toEqual(['3', '4', '5']);
    expect(calls.map((call) => call.innerIdMin)).toEqual([1, 3, 5]);

    // Order 2 moves to another status; order 6 is new. Order 5 sits on the inclusive boundary and yields nothing.
    orders[1] = rawOrder(2, { dateUpdated: at(7), orderStatus: { href: `https://demo.api.myshoprenter.hu/orderStatuses/${statusId(2)}` } });
    orders.push(rawOrder(6, { dateUpdated: at(8) }));
    const next = await pull(source, observed, resumed.at(-1)?.cursor);
    const records = next.flatMap((page) => page.records);
    expect(records.map((record) => [record.key, record.subject ?? 'order.created'])).toEqual([
      ['2', 'order.status.changed'],
      ['6', 'order.created'],
    ]);
    expect(records[0]).toMatchObject({
      changeKey: `${statusId(1)}>${statusId(2)}@${at(7)}`,
      data: { orderSourceId: '2', from: STATUSES[0], to: STATUSES[1] },
    });
    expect(records[0].changeKey).not.toMatch(/\s/);
    expect(next.at(-1)?.cursor).toEqual({ since: at(8) });
  });

  it('fails a record that does not parse alone, and still pages past it', async () => {
    const orders = [rawOrder(1), rawOrder(2, { dateCreated: '0000-00-00 00:00:00' }), rawOrder(3)];
    const { source } = shop(orders);
    const pages = await pull(source, observationStore());
    expect(pages.flatMap((page) => page.records.map((record) => record.key))).toEqual(['1', '3']);
    expect(pages.flatMap((page) => page.failed ?? [])).toEqual([
      { key: '2', error: expect.stringContaining('dateCreated: "0000-00-00 00:00:00" is not a date and time') },
    ]);
  });

  it('stops loudly rather than skip orders when the shop lists them out of id order', async () => {
    const { source } = shop([rawOrder(5), rawOrder(3)]);
    await expect(pull(source, observationStore())).rejects.toThrow('listed order 3 after order 5');
  });
});
