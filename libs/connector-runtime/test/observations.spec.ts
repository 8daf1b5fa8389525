import { SyncRuns } from '@junction/connector-kit';
import { ConnectionView, ControlReply, messageId } from '@junction/contracts';
import { z } from 'zod';
import { defineConnector, type PulledRecord, type StreamPage } from '../src';
import { Harness, waitFor } from './support/harness';

// Vendors that only tell an order's current status: the orders stream compares each order with what it observed
// before, publishes creations and status changes from one read, and stores its observations once they are durable.
// Connectors that allow one connection per vendor account refuse a second one.

interface VendorOrder {
  id: string;
  status: string;
}

const orders: VendorOrder[] = [];
const harness = new Harness();
let syncRuns: SyncRuns;

const connector = defineConnector({
  name: 'zzap',
  settingsSchema: z.object({ account: z.string().min(1) }),
  credentialsSchema: z.object({ apiKey: z.string().min(1) }),
  accountOf: (settings) => settings.account,
  async testConnection() {
    return { ok: true, message: 'Connected' };
  },
  streams: {
    orders: {
      entityType: 'order',
      eventSubject: 'order.created',
      async *read(ctx): AsyncIterable<StreamPage<{ read: number }>> {
        const seen = await ctx.observations.getMany('order_status', orders.map((order) => order.id));
        const records: PulledRecord[] = [];
        for (const order of orders) {
          const before = seen.get(order.id);
          if (before === undefined) records.push(created(order));
          else if (before !== order.status) records.push(statusChanged(order, before));
        }
        const observations = orders.map((order) => ({ kind: 'order_status', key: order.id, value: order.status }));
        yield { records, cursor: { read: orders.length }, observations };
      },
    },
  },
  commands: {},
});

function created(order: VendorOrder): PulledRecord {
  return {
    key: order.id,
    occurredAt: '2024-09-23T18:00:00Z',
    data: {
      sourceId: order.id,
      number: order.id,
      status: { id: order.status, name: order.status },
      customer: {},
      items: [],
      totals: { currency: 'RUB', subtotal: 0, total: 0 },
      coupons: [],
      createdAt: '2024-09-23T18:00:00Z',
    },
  };
}

function statusChanged(order: VendorOrder, from: string): PulledRecord {
  return {
    key: order.id,
    subject: 'order.status.changed',
    changeKey: `status:${from}->${order.status}`,
    occurredAt: '2024-09-23T19:00:00Z',
    data: {
      orderSourceId: order.id,
      from: { id: from, name: from },
      to: { id: order.status, name: order.status },
      changedAt: '2024-09-23T19:00:00Z',
      changedBy: { kind: 'user' },
    },
  };
}

beforeAll(async () => {
  await harness.open();
  await harness.startRuntime(connector);
  syncRuns = new SyncRuns(harness.dataSource);
});

afterAll(() => harness.close());

async function upsert(body: Record<string, unknown>) {
  return ControlReply(ConnectionView).parse(await harness.control('zzap', 'upsert', body));
}

async function sync(connectionId: string, runs: number) {
  await harness.requestSync(connectionId, 'orders', { connector: 'zzap' });
  await waitFor(async () => {
    const finished = await syncRuns.list({ connectionId, stream: 'orders', limit: 10 });
    return finished.filter((run) => run.state === 'succeeded').length >= runs;
  });
}

async function eventsOf(connectionId: string, subject: string) {
  const stored = await harness.stored('EVENTS', subject);
  return stored.filter((event) => (event.envelope.source as { connectionId: string }).connectionId === connectionId);
}

describe('a stream that reads creations and status changes together', () => {
  it('publishes each order once, then only the status that changed, through the subject each record names', async () => {
    orders.push({ id: 'o1', status: 'new' }, { id: 'o2', status: 'new' });
    const reply = await upsert({ name: 'Parts', settings: { account: 'seller-1' }, credentials: { apiKey: 'k-1' } });
    if (!reply.ok) throw new Error(reply.error.message);
    const connectionId = reply.data.id;

    await sync(connectionId, 1);
    expect((await eventsOf(connectionId, 'order.created')).map((event) => event.envelope.data.sourceId)).toEqual(['o1', 'o2']);

    orders[1].status = 'shipped';
    await sync(connectionId, 2);
    const changes = await eventsOf(connectionId, 'order.status.changed');
    expect(changes.map((event) => event.envelope.id)).toEqual([
      messageId('zzap', connectionId, 'orders', 'o2', 'status:new->shipped'),
    ]);
    expect(changes[0].envelope.data).toMatchObject({ orderSourceId: 'o2', from: { id: 'new' }, to: { id: 'shipped' } });

    // Nothing changed since: a third run publishes nothing at all.
    await sync(connectionId, 3);
    expect(await eventsOf(connectionId, 'order.created')).toHaveLength(2);
    expect(await eventsOf(connectionId, 'order.status.changed')).toHaveLength(1);
  });
});

describe('one connection per vendor account', () => {
  it('refuses a second connection to the same account, naming the first, until that one is removed', async () => {
    const first = await upsert({ name: 'Main cabinet', settings: { account: 'Seller@Parts' }, credentials: { apiKey: 'k-2' } });
    if (!first.ok) throw new Error(first.error.message);

    const second = await upsert({ name: 'Again', settings: { account: 'seller@parts ' }, credentials: { apiKey: 'k-3' } });
    expect(second).toEqual({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining(`'Main cabinet' (${first.data.id}); remove that connection first`) },
    });

    // Saving the first one again is no conflict with itself.
    const resaved = await upsert({ connectionId: first.data.id, name: 'Main cabinet', settings: { account: 'seller@parts' } });
    expect(resaved.ok).toBe(true);

    await harness.control('zzap', 'delete', { connectionId: first.data.id });
    const afterRemoval = await upsert({ name: 'Again', settings: { account: 'seller@parts' }, credentials: { apiKey: 'k-3' } });
    expect(afterRemoval.ok).toBe(true);
  });
});
