import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { SyncRuns } from '@junction/connector-kit';
import { ConnectorRuntime, type ConnectorDefinition, type PulledRecord, type StreamPage } from '@junction/connector-runtime';
import {
  ConnectionTestResult,
  ConnectionView,
  ControlReply,
  controlSubject,
  EVENTS,
  messageId,
  type ConnectionOperation,
  type Order as CanonicalOrder,
  type OrderStatusChange,
} from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import {
  baseUrlFor,
  createSandbox,
  DEFAULT_STATUSES,
  orderStatusId,
  SEEDED,
  tokenUrlFor,
  type AccessToken,
  type Coupon,
  type Order,
  type OrderProduct,
  type OrderStatus,
} from '@junction/sandbox-shoprenter';
import { SecretBox } from '@junction/secrets';
import { createLogger } from '@junction/telemetry';
import type { DataSource } from 'typeorm';
import { connectorContext, deleteNamespaceStreams, loadService, NATS_URL, openKitSchema, randomName, waitFor } from './support';

// The Shoprenter connector against its sandbox: test connection (Basic and OAuth), the resumable orders pull with
// status changes, and a sync run riding out the lock-out and a 5xx.

interface Settings {
  apiUrl: string;
  auth: 'basic' | 'oauth';
  tokenUrl?: string;
}
type Credentials =
  | { username: string; password: string }
  | { clientId: string; clientSecret: string; accessToken?: string; accessTokenExpiresAt?: number };
type OrdersCursor = { since?: string; pass?: { until: string; afterId: number; latest?: string } };

const { shoprenter } = loadService<{ shoprenter: ConnectorDefinition<Settings, Credentials> }>('shoprenter');
const logger = createLogger({ service: 'e2e', level: 'silent' });

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };

const basicSettings = (shop: string = SEEDED.shop): Settings => ({ apiUrl: baseUrlFor(sandbox.url, shop), auth: 'basic' });
const oauthSettings = (): Settings => ({
  apiUrl: baseUrlFor(sandbox.url, SEEDED.shop, 'oauth'),
  auth: 'oauth',
  tokenUrl: tokenUrlFor(sandbox.url, SEEDED.shop),
});
const basicCredentials = { username: SEEDED.apiUsername, password: SEEDED.apiPassword };
const oauthCredentials = { clientId: SEEDED.clientId, clientSecret: SEEDED.clientSecret };

function context(settings: Settings = basicSettings(), credentials: Credentials = basicCredentials, id = randomName('sr-')) {
  return connectorContext<Settings, Credentials>(kit.dataSource, { id, name: 'Acme webshop', settings }, credentials);
}

type Ctx = ReturnType<typeof context>;

/** Reads pages as the runtime does: each page's observations are stored before the next page is read. */
async function read(ctx: Ctx, cursor?: OrdersCursor, stopAfterPages = Infinity) {
  const pages: Array<StreamPage<OrdersCursor>> = [];
  for await (const page of shoprenter.streams.orders.read(ctx, cursor) as AsyncIterable<StreamPage<OrdersCursor>>) {
    await ctx.observations.setMany(page.observations ?? []);
    pages.push(page);
    if (pages.length >= stopAfterPages) break;
  }
  const records = pages.flatMap((page) => page.records);
  return { pages, records, keys: records.map((record) => record.key), cursor: pages.at(-1)?.cursor };
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const orderExtendCalls = async () => (await sandbox.control.requests()).filter((request) => request.path.endsWith('/orderExtend'));
const acmeOrders = async () => (await sandbox.control.records<Order>('orders')).filter((order) => order.shopId === 1);

beforeAll(async () => {
  sandbox = await startSandbox(createSandbox());
  kit = await openKitSchema();
});

afterAll(async () => {
  await sandbox?.close();
  await kit?.drop();
});

beforeEach(async () => {
  await sandbox.control.reset();
  await sandbox.control.setRateLimit({ kind: 'off' });
});

describe('test connection', () => {
  it("succeeds with the shop's order statuses, and reads them again after the shop owner changed them", async () => {
    const ctx = context();
    const first = await shoprenter.testConnection(ctx);
    expect(first).toEqual({
      ok: true,
      message: expect.stringMatching(/^Sikeres kapcsolódás!/),
      orderStatuses: DEFAULT_STATUSES.map((status, index) => ({ id: orderStatusId(index + 1), name: status.name })),
    });

    await sandbox.control.update('orderStatuses', 3, { name: 'Kiszállítva' });
    const [added] = (await sandbox.control.seed({ orderStatuses: [{ shopId: 1, name: 'Visszaküldve', color: '#000000' }] }))
      .orderStatuses as unknown as OrderStatus[];
    const again = await shoprenter.testConnection(ctx);
    expect(again.ok).toBe(true);
    expect(again.orderStatuses).toHaveLength(6);
    expect(again.orderStatuses).toContainEqual({ id: orderStatusId(3), name: 'Kiszállítva' });
    expect(again.orderStatuses?.at(-1)).toEqual({ id: orderStatusId(added.innerId), name: 'Visszaküldve' });
  });

  it('tells a wrong password from an unknown shop, an unreachable URL and a disabled API', async () => {
    const wrongPassword = await shoprenter.testConnection(context(basicSettings(), { ...basicCredentials, password: 'not-the-password' }));
    expect(wrongPassword).toEqual({ ok: false, message: 'Kapcsolódás sikertelen: hibás API felhasználónév vagy jelszó.' });
    // Another shop's API user does not open this one.
    const otherShop = await shoprenter.testConnection(context(basicSettings(), { username: SEEDED.other.apiUsername, password: SEEDED.other.apiPassword }));
    expect(otherShop.message).toBe('Kapcsolódás sikertelen: hibás API felhasználónév vagy jelszó.');

    const unknownShop = await shoprenter.testConnection(context(basicSettings('nosuchshop')));
    expect(unknownShop).toEqual({ ok: false, message: expect.stringMatching(/^Kapcsolódás sikertelen: nincs Shoprenter bolt ezen az API URL-en \(.*\/nosuchshop\)/) });
    const closedUrl = `http://127.0.0.1:${await closedPort()}/acme`;
    const unreachable = await shoprenter.testConnection(context({ apiUrl: closedUrl, auth: 'basic' }));
    expect(unreachable.message).toBe(`Kapcsolódás sikertelen: az API URL (${closedUrl}) nem érhető el: ellenőrizd a bolt nevét az URL-ben.`);

    await sandbox.control.reset({ basicAuth: false });
    const disabled = await shoprenter.testConnection(context());
    expect(disabled).toEqual({ ok: false, message: expect.stringMatching(/^Kapcsolódás sikertelen: a Shoprenter megtiltotta a hozzáférést \(403\)/) });
  });

  it('in OAuth mode caches the access token in the credentials, and names a wrong client secret', async () => {
    const ctx = context(oauthSettings(), oauthCredentials);
    const result = await shoprenter.testConnection(ctx);
    expect(result).toMatchObject({ ok: true, orderStatuses: expect.arrayContaining([{ id: orderStatusId(1), name: 'Függőben lévő' }]) });
    const [token] = await sandbox.control.records<AccessToken>('accessTokens');
    expect(ctx.credentials).toEqual({ ...oauthCredentials, accessToken: token.accessToken, accessTokenExpiresAt: expect.any(Number) });
    await shoprenter.testConnection(ctx);
    expect(await sandbox.control.records('accessTokens')).toHaveLength(1);

    const wrongSecret = await shoprenter.testConnection(context(oauthSettings(), { ...oauthCredentials, clientSecret: 'wrong' }));
    expect(wrongSecret).toEqual({
      ok: false,
      message: 'Kapcsolódás sikertelen: a Shoprenter nem fogadta el az API kliens azonosítóját (client id) vagy titkát (client secret).',
    });
    const mixedUp = await shoprenter.testConnection(context(oauthSettings(), basicCredentials));
    expect(mixedUp.message).toMatch(/^Kapcsolódás sikertelen: OAuth módban API kliens azonosító és titok kell/);
  });
});

describe('the orders stream', () => {
  it('reads 450 orders in pages of 200 with their total, lines, coupons and status names, one call per page', async () => {
    await sandbox.control.reset({ orders: 450 });
    await sandbox.control.setRateLimit({ kind: 'off' });
    const { pages, records } = await read(context());

    expect(pages.map((page) => page.records.length)).toEqual([200, 200, 50]);
    expect(pages.every((page) => page.total === 450)).toBe(true);
    expect(records.every((record) => record.subject === undefined && record.changeKey === undefined)).toBe(true);

    const orders = await acmeOrders();
    const statuses = await sandbox.control.records<OrderStatus>('orderStatuses');
    const coupons = await sandbox.control.records<Coupon>('coupons');
    const lines = await sandbox.control.records<OrderProduct>('orderProducts');
    expect(records.map((record) => record.key)).toEqual(orders.map((order) => String(order.innerId)));
    for (const record of records as Array<PulledRecord<CanonicalOrder>>) {
      const data = EVENTS['order.created'].data.parse(record.data);
      const order = orders.find((candidate) => String(candidate.innerId) === record.key)!;
      expect(data.status).toEqual({ id: orderStatusId(order.orderStatusId), name: statuses.find((status) => status.innerId === order.orderStatusId)!.name });
      expect(data.items.map((item) => [item.sku, item.quantity])).toEqual(
        lines.filter((line) => line.orderId === order.innerId).map((line) => [line.sku, line.quantity]),
      );
      const { subtotal, tax = 0, shipping = 0, discount = 0, total } = data.totals;
      expect(total).toBe(subtotal + tax + shipping - discount);
      expect(data.customer).toMatchObject({ firstName: order.firstname, lastName: order.lastname, email: order.email });
      expect(record.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
      if (order.couponId === null) {
        expect(data.coupons).toEqual([]);
      } else {
        const coupon = coupons.find((candidate) => candidate.innerId === order.couponId)!;
        expect(data.coupons).toEqual([expect.objectContaining({ code: coupon.code, amount: discount })]);
        expect(discount).toBeGreaterThan(0);
      }
    }
    // The count, the three status calls (languages, statuses, descriptions), then one orderExtend call per page.
    const calls = await sandbox.control.requests();
    expect(calls).toHaveLength(7);
    expect((await orderExtendCalls()).map((call) => new URLSearchParams(call.query).get('limit'))).toEqual(['200', '200', '200']);
  });

  it('resumes from a mid-run cursor without reading a page twice, then reads only new orders and status changes', async () => {
    await sandbox.control.reset({ orders: 450 });
    await sandbox.control.setRateLimit({ kind: 'off' });
    const ctx = context();
    const crashed = await read(ctx, undefined, 1);
    expect(crashed.cursor).toMatchObject({ pass: { afterId: 200 } });
    const resumed = await read(ctx, crashed.cursor);
    const keys = [...crashed.keys, ...resumed.keys];
    expect(new Set(keys).size).toBe(450);
    expect(keys).toHaveLength(450);
    expect((await orderExtendCalls()).map((call) => new URLSearchParams(call.query).get('innerIdMin'))).toEqual(['1', '201', '401']);

    // The shop owner ships order 7 and a customer places a new order; everything else stays as it was.
    const orders = await acmeOrders();
    const seven = orders.find((order) => order.innerId === 7)!;
    const shipped = seven.orderStatusId === 3 ? 4 : 3;
    await sandbox.control.update('orders', 7, { orderStatusId: shipped });
    const { innerId: _innerId, dateCreated: _created, dateUpdated: _updated, ...template } = orders[0];
    const [placed] = (await sandbox.control.seed({ orders: [{ ...template, email: 'uj.vevo@example.hu', couponId: null }] })).orders as unknown as Order[];
    await sandbox.control.seed({
      orderProducts: [{ orderId: placed.innerId, productInnerId: 101, name: 'Kerámia bögre', sku: 'MUG-001', price: 2362, taxRate: 27, quantity: 2 }],
    });

    const next = await read(ctx, resumed.cursor);
    expect(next.records.map((record) => [record.key, record.subject ?? 'order.created'])).toEqual([
      ['7', 'order.status.changed'],
      [String(placed.innerId), 'order.created'],
    ]);
    const change = EVENTS['order.status.changed'].data.parse(next.records[0].data) as OrderStatusChange;
    expect(change).toMatchObject({
      orderSourceId: '7',
      from: { id: orderStatusId(seven.orderStatusId), name: DEFAULT_STATUSES[seven.orderStatusId - 1].name },
      to: { id: orderStatusId(shipped), name: DEFAULT_STATUSES[shipped - 1].name },
      changedBy: { kind: 'user' },
    });
    // The change key makes the event id; message ids refuse whitespace.
    expect(() => messageId('shoprenter', ctx.connection.id, 'orders', '7', next.records[0].changeKey!)).not.toThrow();
    expect(next.records[1].data).toMatchObject({ customer: { email: 'uj.vevo@example.hu' }, items: [{ sku: 'MUG-001', quantity: 2 }] });

    // Nothing changed since: a further read publishes nothing.
    expect((await read(ctx, next.cursor)).records).toEqual([]);
  });

  it('reads orders over OAuth, renewing an expired token once', async () => {
    const ctx = context(oauthSettings(), oauthCredentials);
    expect((await read(ctx)).records).toHaveLength(30);
    const [token] = await sandbox.control.records<AccessToken>('accessTokens');
    await sandbox.control.update('accessTokens', token.id, { expiresAt: 0 });
    await sandbox.control.update('orders', 3, { orderStatusId: 5 });
    const next = await read(ctx, undefined);
    expect(next.records.map((record) => [record.key, record.subject])).toEqual([['3', 'order.status.changed']]);
    expect(await sandbox.control.records('accessTokens')).toHaveLength(2);
    expect((await sandbox.control.requests()).filter((request) => request.status === 401)).toHaveLength(1);
  });
});

describe('sync runs through the connector runtime', () => {
  const namespace = randomName('t');
  let bus: Bus;
  const replicas: Array<ConnectorRuntime<Settings, Credentials>> = [];

  const control = (op: ConnectionOperation, body: unknown) =>
    bus.request(controlSubject('shoprenter', op), body, (raw) => raw, { timeoutMs: 15_000 });

  async function createConnection(settings: Settings, credentials: Credentials): Promise<string> {
    const reply = ControlReply(ConnectionView).parse(await control('upsert', { name: 'Acme webshop', settings, credentials }));
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.data.id;
  }

  async function requestSync(connectionId: string): Promise<void> {
    const requestId = randomUUID();
    await bus.publish('sync.requested', {
      id: messageId('sync', requestId),
      type: 'sync.requested',
      version: 1,
      source: { connector: 'e2e', connectionId },
      occurredAt: new Date().toISOString(),
      data: { requestId, connector: 'shoprenter', connectionId, stream: 'orders', reason: 'manual', requestedAt: new Date().toISOString() },
    });
  }

  beforeAll(async () => {
    bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-shoprenter', namespace, logger });
    await bus.ensureStreams();
    const cipher = new SecretBox(SecretBox.generateKey());
    // Two replicas over one database, as a scaled-out deployment runs them.
    for (let replica = 0; replica < 2; replica++) {
      const runtime = new ConnectorRuntime(shoprenter, { dataSource: kit.dataSource, bus, logger, cipher, readRetryDelayMs: 1_000 });
      await runtime.start();
      replicas.push(runtime);
    }
  });

  afterAll(async () => {
    for (const runtime of replicas) await runtime.stop();
    await bus?.close();
    await deleteNamespaceStreams(namespace);
  });

  it('renews an expired OAuth token exactly once when several tests hit the 401 at the same time', async () => {
    const connectionId = await createConnection(oauthSettings(), oauthCredentials);
    const test = async () => ControlReply(ConnectionTestResult).parse(await control('test', { connectionId }));
    expect(await test()).toMatchObject({ ok: true, data: { ok: true } });
    const [token] = await sandbox.control.records<AccessToken>('accessTokens');
    await sandbox.control.update('accessTokens', token.id, { expiresAt: 0 });

    const results = await Promise.all([1, 2, 3].map(test));
    expect(results).toEqual(Array(3).fill({ ok: true, data: expect.objectContaining({ ok: true, message: expect.stringMatching(/^Sikeres kapcsolódás!/) }) }));
    expect(await sandbox.control.records('accessTokens')).toHaveLength(2);
    expect(await test()).toMatchObject({ ok: true, data: { ok: true } });
    expect(await sandbox.control.records('accessTokens')).toHaveLength(2);

    // One connection per shop: a second one would sync it in parallel.
    const second = ControlReply(ConnectionView).parse(await control('upsert', { name: 'Again', settings: oauthSettings(), credentials: oauthCredentials }));
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await control('delete', { connectionId });
  });

  it('pauses on the lock-out 429s and a 5xx, and finishes the run with every order', async () => {
    // The documented rate limit on; three refusals in a row lock the API user out for 20 s, longer than the backoff
    // after the third, so the next call certainly meets the lock-out. The 503 comes first: an injected answer wins
    // over the lock-out, and after the 429s it could hide it.
    await sandbox.control.reset({ orders: 450, lockout: { afterRefusals: 3, withinMs: 10_000, forMs: 20_000 } });
    await sandbox.control.setRateLimit({ kind: 'token-bucket', capacity: 3, refillPerSecond: 3, retryAfter: false });
    await sandbox.control.setFaults({
      rules: [
        { kind: 'error', status: 503, pathPrefix: '/acme/orderExtend', count: 1 },
        { kind: 'rate-limit', retryAfterSeconds: null, pathPrefix: '/acme/orderExtend', count: 3 },
      ],
    });
    const connectionId = await createConnection(basicSettings(), basicCredentials);
    await requestSync(connectionId);

    const runs = new SyncRuns(kit.dataSource);
    const run = await waitFor(async () => {
      const finished = await runs.lastFinished(connectionId, 'orders');
      return finished ?? false;
    }, 120_000);
    expect(run).toMatchObject({ state: 'succeeded', progress: { done: 450, total: 450 }, counts: { created: 450, failed: 0 } });

    const calls = await sandbox.control.requests();
    const refused = calls.filter((call) => call.status === 429);
    expect(refused.filter((call) => call.faults?.includes('rate-limit'))).toHaveLength(3);
    // Refusals neither injected nor the rate limiter's own: the lock-out.
    expect(refused.some((call) => !call.faults && !call.rateLimited)).toBe(true);
    expect(calls.some((call) => call.status === 503)).toBe(true);
    // Sequential paging: each orderExtend call starts after the previous one was answered.
    const pages = calls.filter((call) => call.path.endsWith('/orderExtend') && call.status === 200);
    expect(pages.map((call) => new URLSearchParams(call.query).get('innerIdMin'))).toEqual(['1', '201', '401']);
    await control('delete', { connectionId });
  }, 150_000);
});
