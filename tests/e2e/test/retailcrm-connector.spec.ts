import type { CommandContext, ConnectorDefinition, StreamPage } from '@junction/connector-runtime';
import { COMMANDS, EVENTS } from '@junction/contracts';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED, STATUSES, type HistoryRecord, type Order } from '@junction/sandbox-retailcrm';
import type { DataSource } from 'typeorm';
import { connectorContext, loadService, openKitSchema, randomName } from './support';

// The RetailCRM connector's vendor side, against the sandbox: test connection, order upserts with product matching,
// idempotent status writes, and the order-history pull with who made each change.

interface Settings {
  url: string;
}
interface Credentials {
  apiKey: string;
}
type HistoryCursor = { sinceId: number };
type Context = CommandContext<Settings, Credentials>;

const { retailcrm } = loadService<{ retailcrm: ConnectorDefinition<Settings, Credentials> }>('retailcrm');
const upsertOrder = retailcrm.commands['order.upsert']!;
const setStatus = retailcrm.commands['order.status.set']!;
const site = SEEDED.sites.zzap;

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };

/** A context of a connection of its own: ID maps do not leak between tests (the sandbox is reset before each). */
function context(apiKey: string = SEEDED.apiKeys.junction, url: string = sandbox.url): Context {
  return connectorContext<Settings, Credentials>(kit.dataSource, { id: randomName('rc-'), name: 'RetailCRM', settings: { url } }, { apiKey });
}

const sourceKey = (orderId: string) => `zzap:zz1:order:${orderId}`;

type Item = { name: string; article?: string; brand?: string; productSourceId?: string; quantity: number; unitPrice: number };

function upsert(orderId: string, options: { items?: Item[]; status?: string; matching?: string; destination?: string; updatedAt?: string } = {}) {
  const items = options.items ?? [
    { name: 'Brake pad set', article: 'ART-1', brand: 'Bosch', quantity: 2, unitPrice: 1500 },
    { name: 'Oil filter', article: 'OC90', brand: 'Knecht', quantity: 1, unitPrice: 450 },
  ];
  return COMMANDS['order.upsert'].data.parse({
    sourceKey: sourceKey(orderId),
    destination: options.destination ?? site,
    productMatching: options.matching ?? 'article',
    ...(options.status ? { targetStatus: { id: options.status, name: options.status } } : {}),
    order: {
      sourceId: orderId,
      number: orderId,
      status: { id: '1', name: 'Новый' },
      customer: { firstName: 'Pavel', lastName: 'Sidorov', email: 'pavel@example.ru', phone: '+79161234567' },
      items,
      totals: { currency: 'RUB', subtotal: 3450, total: 3450 },
      coupons: [],
      createdAt: '2024-09-23T18:00:00+03:00',
      ...(options.updatedAt ? { updatedAt: options.updatedAt } : {}),
    },
  });
}

function statusSet(orderId: string, status: string) {
  return COMMANDS['order.status.set'].data.parse({
    sourceKey: sourceKey(orderId),
    status: { id: status, name: status },
    changeId: `zzap:zz1:order:${orderId}:${status}`,
  });
}

const orders = () => sandbox.control.records<Order>('orders');
const history = () => sandbox.control.records<HistoryRecord>('history');
const historyOf = async (orderId: number) => (await history()).filter((record) => record.order.id === orderId);

async function readHistory(ctx: Context, cursor?: HistoryCursor, stopAfterPages = Infinity) {
  const pages: Array<StreamPage<HistoryCursor>> = [];
  for await (const page of retailcrm.streams.order_history.read(ctx, cursor) as AsyncIterable<StreamPage<HistoryCursor>>) {
    pages.push(page);
    if (pages.length >= stopAfterPages) break;
  }
  const records = pages.flatMap((page) => page.records);
  return { pages, records, failed: pages.flatMap((page) => page.failed ?? []), cursor: pages.at(-1)?.cursor };
}

/** Another RetailCRM API client (the warehouse system) writing through the API. */
async function asWarehouse(path: string, form: Record<string, unknown>): Promise<void> {
  const body = new URLSearchParams(Object.entries(form).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
  const response = await fetch(`${baseUrlFor(sandbox.url)}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': SEEDED.apiKeys.warehouse, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
}

/** A status change made in the CRM by someone else: a user (sandbox control) or another API key. */
async function changeStatusAs(orderId: number, change: { status: string; user: number } | { status: string; apiKey: string }): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/orders/${orderId}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  });
  if (!response.ok) throw new Error(`status change answered ${response.status}: ${await response.text()}`);
}

beforeAll(async () => {
  sandbox = await startSandbox(createSandbox());
  kit = await openKitSchema();
});

afterAll(async () => {
  await sandbox?.close();
  await kit?.drop();
});

beforeEach(() => sandbox.control.reset());

describe('test connection', () => {
  it("returns the account's order statuses and the stores the key reaches", async () => {
    const result = await retailcrm.testConnection(context());
    expect(result).toEqual({
      ok: true,
      message: expect.stringContaining('Connected to RetailCRM'),
      orderStatuses: STATUSES.map((status) => ({ id: status.code, name: status.name })),
      details: { sites: [SEEDED.sites.zzap, SEEDED.sites.website], timeZone: 'UTC' },
    });
    const websiteOnly = await retailcrm.testConnection(context(SEEDED.apiKeys.websiteOnly));
    expect(websiteOnly).toMatchObject({ ok: true, details: { sites: [SEEDED.sites.website] } });
  });

  it('tells a wrong key, a wrong URL and a key without access apart, without showing the key', async () => {
    const wrongKey = await retailcrm.testConnection(context('0123456789abcdef0123456789abcdef'));
    expect(wrongKey).toEqual({ ok: false, message: expect.stringContaining('RetailCRM rejected the API key') });
    expect(wrongKey.message).toContain('Wrong "apiKey" value.');
    expect(wrongKey.message).not.toContain('0123456789abcdef');

    const wrongUrl = await retailcrm.testConnection(context(SEEDED.apiKeys.junction, `${sandbox.url}/no-such-account`));
    expect(wrongUrl).toEqual({ ok: false, message: `No RetailCRM account at ${sandbox.url}/no-such-account: check the account URL, e.g. https://demo.retailcrm.ru` });

    const readOnly = await retailcrm.testConnection(context(SEEDED.apiKeys.readOnly));
    expect(readOnly).toEqual({ ok: false, message: expect.stringMatching(/^The RetailCRM API key lacks access to order_write, store_read:/) });
  });
});

describe('order.upsert', () => {
  it('creates the order once in the store, items matched by article and an unmatched part as free text', async () => {
    const ctx = context();
    const data = upsert('1042', { status: 'client-confirmed' });
    const result = await upsertOrder(ctx, data, {} as never);

    const created = (await orders()).filter((order) => order.externalId === 'zzap-1042');
    expect(created).toHaveLength(1);
    expect(result).toEqual({ entityType: 'order', externalId: String(created[0].id), outcome: 'created' });
    expect(created[0]).toMatchObject({ site, status: 'client-confirmed', firstName: 'Pavel', lastName: 'Sidorov', email: 'pavel@example.ru', phone: '+79161234567' });
    expect(created[0].items).toEqual([
      expect.objectContaining({ offer: expect.objectContaining({ article: 'ART-1', externalId: 'ext-1' }), quantity: 2, initialPrice: 1500 }),
      expect.objectContaining({ productName: 'Oil filter (Knecht OC90)', quantity: 1, initialPrice: 450 }),
    ]);
    expect(created[0].items[1].offer).toBeUndefined();

    expect(await upsertOrder(ctx, data, {} as never)).toEqual({ ...result, outcome: 'unchanged' });
    expect((await orders()).filter((order) => order.externalId === 'zzap-1042')).toHaveLength(1);
  });

  it("matches items by the product's external id, and leaves RetailCRM's default status without a target status", async () => {
    const items = [
      { name: 'Brake disc', productSourceId: 'ext-3', quantity: 1, unitPrice: 2100 },
      { name: 'Wiper blade', productSourceId: 'ext-999', quantity: 2, unitPrice: 300 },
    ];
    const result = await upsertOrder(context(), upsert('2001', { items, matching: 'external_id' }), {} as never);
    const order = (await orders()).find((row) => String(row.id) === result.externalId)!;
    expect(order).toMatchObject({ externalId: 'zzap-2001', site, status: 'new' });
    expect(order.items.map((item) => item.offer?.externalId ?? item.productName)).toEqual(['ext-3', 'Wiper blade']);
  });

  it('finds the order by its externalId after a lost response instead of creating another', async () => {
    const ctx = context();
    const data = upsert('3001', { status: 'new' });
    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/api/v5/orders/create', count: 1 }] });
    await expect(upsertOrder(ctx, data, {} as never)).rejects.toThrow();
    const retried = await upsertOrder(ctx, data, {} as never);

    const created = (await orders()).filter((order) => order.externalId === 'zzap-3001');
    expect(created).toHaveLength(1);
    expect(retried).toEqual({ entityType: 'order', externalId: String(created[0].id), outcome: 'found_existing' });
  });

  it('moves an existing order to a new target status once, and refuses an unknown store or status for good', async () => {
    const ctx = context();
    const { externalId } = await upsertOrder(ctx, upsert('4001', { status: 'new' }), {} as never);
    expect(await upsertOrder(ctx, upsert('4001', { status: 'assembling' }), {} as never)).toEqual({ entityType: 'order', externalId, outcome: 'updated' });
    expect(await upsertOrder(ctx, upsert('4001', { status: 'assembling' }), {} as never)).toMatchObject({ outcome: 'unchanged' });
    const statusEntries = (await historyOf(Number(externalId))).filter((record) => record.field === 'status');
    expect(statusEntries.map((record) => (record.newValue as { code: string }).code)).toEqual(['new', 'assembling']);

    await expect(upsertOrder(ctx, upsert('4002', { destination: 'no-such-store' }), {} as never)).rejects.toMatchObject({
      name: 'PermanentError',
      message: 'RetailCRM has no store "no-such-store" that this API key reaches (it reaches: zzap-parts, website)',
    });
    await expect(upsertOrder(ctx, upsert('4003', { status: 'no-such-status' }), {} as never)).rejects.toMatchObject({
      name: 'VendorValidationError',
      retryable: false,
      message: expect.stringContaining('Errors in the entity format: status: Status "no-such-status" does not exist.'),
    });
    expect((await orders()).filter((order) => order.externalId === 'zzap-4002' || order.externalId === 'zzap-4003')).toEqual([]);
  });

  it("keeps a status a CRM user set after the source order's last change: a late repeat of the creation undoes nothing", async () => {
    const ctx = context();
    const sourceChangedAt = new Date(Date.now() - 60_000).toISOString();
    const { externalId } = await upsertOrder(ctx, upsert('4101', { status: 'new', updatedAt: sourceChangedAt }), {} as never);
    await changeStatusAs(Number(externalId), { status: 'complete', user: SEEDED.userId });

    expect(await upsertOrder(ctx, upsert('4101', { status: 'new', updatedAt: sourceChangedAt }), {} as never)).toEqual({ entityType: 'order', externalId, outcome: 'unchanged' });
    expect((await orders()).find((order) => String(order.id) === externalId)?.status).toBe('complete');
    // A source change after the user's does move it.
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await upsertOrder(ctx, upsert('4101', { status: 'assembling', updatedAt: later }), {} as never)).toMatchObject({ outcome: 'updated' });
    expect((await orders()).find((order) => String(order.id) === externalId)?.status).toBe('assembling');
  });
});

describe('order.status.set', () => {
  it('writes a new status once; the same status again writes nothing and adds no history', async () => {
    const ctx = context();
    const { externalId } = await upsertOrder(ctx, upsert('5001'), {} as never);
    const orderId = Number(externalId);

    expect(await setStatus(ctx, statusSet('5001', 'assembling'), {} as never)).toEqual({ entityType: 'order', externalId, outcome: 'updated' });
    expect((await orders()).find((order) => order.id === orderId)?.status).toBe('assembling');
    const entries = await historyOf(orderId);

    expect(await setStatus(ctx, statusSet('5001', 'assembling'), {} as never)).toEqual({ entityType: 'order', externalId, outcome: 'unchanged' });
    expect(await historyOf(orderId)).toEqual(entries);
    const edits = (await sandbox.control.requests()).filter((request) => request.path === `/api/v5/orders/${orderId}/edit`);
    expect(edits).toHaveLength(1);
  });

  it('waits for an order the upsert has not created yet', async () => {
    await expect(setStatus(context(), statusSet('5002', 'assembling'), {} as never)).rejects.toMatchObject({
      name: 'MissingDependencyError',
      message: expect.stringContaining('is not in RetailCRM yet'),
      awaited: { entityType: 'order' },
    });
  });
});

describe('the order_history stream', () => {
  it('starts at the end of history, then tells who made each status change', async () => {
    const ctx = context();
    const start = await readHistory(ctx);
    expect(start.records).toEqual([]);
    expect(start.cursor).toEqual({ sinceId: Math.max(...(await history()).map((record) => record.id)) });

    const { externalId } = await upsertOrder(ctx, upsert('6001'), {} as never);
    const orderId = Number(externalId);
    await setStatus(ctx, statusSet('6001', 'client-confirmed'), {} as never);
    await changeStatusAs(orderId, { status: 'assembling', user: SEEDED.userId });
    await changeStatusAs(orderId, { status: 'delivering', apiKey: SEEDED.apiKeys.warehouse });

    const next = await readHistory(ctx, start.cursor);
    expect(next.failed).toEqual([]);
    const entries = await historyOf(orderId);
    expect(next.records.map((record) => [record.key, record.changeKey])).toEqual(entries.map((entry) => [externalId, String(entry.id)]));
    expect(next.records.map((record) => record.data)).toEqual([
      expect.objectContaining({ orderNumber: `${orderId}A`, to: { id: 'new', name: 'Новый' }, changedBy: { kind: 'junction' } }),
      expect.objectContaining({ from: { id: 'new', name: 'Новый' }, to: { id: 'client-confirmed', name: 'Согласовано с клиентом' }, changedBy: { kind: 'junction' } }),
      expect.objectContaining({ to: { id: 'assembling', name: 'Комплектуется' }, changedBy: { kind: 'user' } }),
      expect.objectContaining({ orderSourceId: externalId, from: { id: 'assembling', name: 'Комплектуется' }, changedBy: { kind: 'api_client' } }),
    ]);
    // The sandbox's account is on UTC (GET /settings): its local DateTimes are UTC instants.
    expect(next.records[3].occurredAt).toBe(`${entries[3].createdAt.replace(' ', 'T')}.000Z`);
    for (const record of next.records) expect(() => EVENTS['order.status.changed'].data.parse(record.data)).not.toThrow();

    const idle = await readHistory(ctx, next.cursor);
    expect(idle.records).toEqual([]);
    expect(idle.cursor).toBeUndefined();
  });

  it('resumes from a cursor saved mid-way without missing or repeating a change, past entries of other fields', async () => {
    const ctx = context();
    const start = await readHistory(ctx);
    const uploads = Array.from({ length: 3 }, (_, batch) => Array.from({ length: 50 }, (_, n) => ({ externalId: `wh-${batch * 50 + n}` })));
    for (const batch of uploads) await asWarehouse('/orders/upload', { site: SEEDED.sites.website, orders: batch });
    const [firstWarehouseOrder] = (await orders()).filter((order) => order.externalId === 'wh-0');
    await asWarehouse(`/orders/${firstWarehouseOrder.id}/edit`, { by: 'id', order: { managerComment: 'call the buyer', status: 'prepayed' } });

    const firstPage = await readHistory(ctx, start.cursor, 1);
    expect(firstPage.records).toHaveLength(100);
    const rest = await readHistory(ctx, firstPage.cursor);

    const all = await history();
    const statusIds = all.filter((record) => record.id > start.cursor!.sinceId && record.field === 'status').map((record) => String(record.id));
    const read = [...firstPage.records, ...rest.records].map((record) => record.changeKey);
    expect(statusIds).toHaveLength(151);
    expect(read).toEqual(statusIds);
    expect(rest.records.at(-1)?.data).toMatchObject({ to: { id: 'prepayed' }, changedBy: { kind: 'api_client' } });
    // The last entry (the comment) is not a status change, yet the cursor has passed it.
    expect(all.at(-1)?.field).toBe('manager_comment');
    expect(rest.cursor).toEqual({ sinceId: all.at(-1)!.id });
  });

  it('pauses on RetailCRM\'s 503 "Rate limit exceeded" and completes the read', async () => {
    const ctx = context();
    const start = await readHistory(ctx);
    await changeStatusAs(1, { status: 'assembling', user: SEEDED.userId });
    await sandbox.control.setFaults({ rules: [{ kind: 'rate-limit', pathPrefix: '/api/v5/orders/history', count: 3, retryAfterSeconds: null }] });

    const next = await readHistory(ctx, start.cursor);
    expect(next.records.map((record) => record.data)).toEqual([expect.objectContaining({ orderSourceId: '1', changedBy: { kind: 'user' } })]);
    const historyCalls = (await sandbox.control.requests()).filter((request) => request.path === '/api/v5/orders/history');
    expect(historyCalls.slice(-4).map((request) => request.status)).toEqual([503, 503, 503, 200]);
  });
});
