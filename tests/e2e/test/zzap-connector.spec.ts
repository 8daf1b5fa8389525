import { createServer } from 'node:net';
import { SyncRuns } from '@junction/connector-kit';
import { ConnectorRuntime, type CommandContext, type ConnectorDefinition, type PulledRecord, type StreamPage } from '@junction/connector-runtime';
import {
  COMMANDS,
  ConnectionTestResult,
  ConnectionView,
  ControlReply,
  controlSubject,
  EVENTS,
  messageId,
  type ConnectionOperation,
  type Envelope,
} from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, moscowTime, SEEDED, TRACK_CODES, type SellerOrder } from '@junction/sandbox-zzap';
import { SecretBox } from '@junction/secrets';
import { createLogger } from '@junction/telemetry';
import type { DataSource } from 'typeorm';
import { connectorContext, deleteNamespaceStreams, loadService, NATS_URL, openKitSchema, randomName, waitFor } from './support';

// The ZZap connector against its sandbox: test connection, the orders pull (grouping, cursor, status changes, full
// answers), the status write without echo, and ZZap's one request per 3 seconds. The connector spaces its calls
// 3.5 s apart per key, so these tests take their time.

interface Settings {
  baseUrl: string;
  rowCount: number;
}
interface Credentials {
  apiKey: string;
  login: string;
  password: string;
}
type OrdersCursor = { dateFrom: string };
type Ctx = CommandContext<Settings, Credentials>;

const { zzap } = loadService<{ zzap: ConnectorDefinition<Settings, Credentials> }>('zzap');
const SELLER: Credentials = { apiKey: SEEDED.seller.api_key, login: SEEDED.seller.login, password: SEEDED.seller.password };
const SLOW = 90_000;

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };

/** A connection of its own per test: observations are kept per connection. */
function context({ credentials = SELLER, rowCount = 1_000, baseUrl = baseUrlFor(sandbox.url) } = {}): Ctx {
  return connectorContext<Settings, Credentials>(kit.dataSource, { id: randomName('zz-'), name: 'Order from ZZap', settings: { baseUrl, rowCount } }, credentials);
}

/** Reads the orders stream as the runtime does: each page's observations are stored before the next page is read. */
async function pull(ctx: Ctx, cursor?: OrdersCursor, stopAfterPages = Infinity) {
  const pages: Array<StreamPage<OrdersCursor>> = [];
  for await (const page of zzap.streams.orders.read(ctx, cursor) as AsyncIterable<StreamPage<OrdersCursor>>) {
    pages.push(page);
    await ctx.observations.setMany(page.observations ?? []);
    if (pages.length >= stopAfterPages) break;
  }
  const records = pages.flatMap((page) => page.records);
  return { pages, records, failed: pages.flatMap((page) => page.failed ?? []), cursor: pages.at(-1)?.cursor ?? cursor };
}

const created = (records: PulledRecord[]) => records.filter((record) => record.subject === undefined);
const changes = (records: PulledRecord[]) => records.filter((record) => record.subject === 'order.status.changed');

async function orders(): Promise<SellerOrder[]> {
  return (await sandbox.control.records<SellerOrder>('orders')).filter((order) => order.account_id === 1);
}

async function calls(method: string): Promise<number> {
  return (await sandbox.control.requests()).filter((request) => request.path.endsWith(`/${method}`)).length;
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What mapping sends to set a ZZap order's status (flag 2). */
function statusSet(codeOrder: number, code: number) {
  const name = TRACK_CODES.find((track) => track.code_track === code)?.descr_track ?? 'unknown';
  return COMMANDS['order.status.set'].data.parse({
    sourceKey: 'retailcrm:r1:order:77',
    targetOrderId: String(codeOrder),
    status: { id: String(code), name },
    changeId: `change-${codeOrder}-${code}`,
  });
}

function setStatus(ctx: Ctx, codeOrder: number, code: number) {
  return zzap.commands['order.status.set']!(ctx, statusSet(codeOrder, code), {} as never);
}

async function changeStatusInZzap(codeOrder: number, code: number): Promise<void> {
  await sandbox.control.advanceClock(60_000);
  const response = await fetch(`${sandbox.url}/__sandbox/orders/${codeOrder}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code_track: code, by: 'buyer' }),
  });
  expect(response.status).toBe(200);
}

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
  it('returns ZZap\'s order statuses on success', async () => {
    expect(await zzap.testConnection(context())).toEqual({
      ok: true,
      message: `Connected to ZZap: ${TRACK_CODES.length} order statuses`,
      orderStatuses: TRACK_CODES.map((track) => ({ id: String(track.code_track), name: track.descr_track })),
    });
  });

  it('tells a wrong API key from a wrong login or password from an unreachable or foreign URL, revealing no credential', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}/webservice/datasharing.asmx`;
    const results = [
      await zzap.testConnection(context({ credentials: { ...SELLER, apiKey: 'zzap1_wrong-key' } })),
      await zzap.testConnection(context({ credentials: { ...SELLER, password: 'wrong-password' } })),
      await zzap.testConnection(context({ baseUrl: unreachable })),
      await zzap.testConnection(context({ baseUrl: `${sandbox.url}/elsewhere` })),
    ];
    expect(results).toEqual([
      { ok: false, message: 'ZZap rejected the API key (ZZap: "Неверный api_key"): use the key ZZap support issued for this cabinet' },
      { ok: false, message: 'ZZap rejected the login or password (ZZap: "Неверный логин или пароль"): use the login and password of the ZZap cabinet' },
      { ok: false, message: expect.stringMatching(/could not connect/) },
      { ok: false, message: expect.stringMatching(/elsewhere does not answer as ZZap's seller web service: .*500/) },
    ]);
    expect(results[2].message.startsWith(`Could not reach ZZap at ${unreachable}: `)).toBe(true);
    for (const { message } of results) {
      for (const secret of ['zzap1_wrong-key', 'wrong-password', SELLER.apiKey, SELLER.login, SELLER.password]) expect(message).not.toContain(secret);
    }
  }, SLOW);
});

describe('the orders stream', () => {
  it('publishes every order once with its parts grouped, its buyer and status, in Moscow time', async () => {
    const [multiPart] = (
      await sandbox.control.seed({
        orders: [
          {
            partnumber: 'ART-1',
            class_man: 'Bosch',
            class_cat: 'Колодки тормозные',
            price: 1010,
            qty_order: '2',
            client_name: 'Петров Пётр',
            extra_parts: [{ partnumber: 'OC90', class_man: 'Mahle', class_cat: 'Фильтр масляный', price: 640, qty_order: '1' }],
          },
        ],
      })
    ).orders as unknown as SellerOrder[];
    const { records, failed, cursor, pages } = await pull(context());

    const all = await orders();
    expect(failed).toEqual([]);
    expect(records.map((record) => record.key).sort()).toEqual(all.map((order) => String(order.code_order)).sort());
    expect(records.every((record) => record.subject === undefined && record.changeKey === undefined)).toBe(true);
    for (const record of records) {
      const order = EVENTS['order.created'].data.parse(record.data);
      const stored = all.find((row) => String(row.code_order) === record.key)!;
      expect(order.status).toEqual({ id: String(stored.code_track), name: stored.descr_track });
      expect(order.createdAt).toBe(`${stored.create_date}+03:00`);
      expect(record.occurredAt).toBe(order.createdAt);
    }
    const grouped = EVENTS['order.created'].data.parse(records.find((record) => record.key === String(multiPart.code_order))!.data);
    expect(grouped).toMatchObject({
      number: String(multiPart.code_order),
      customer: { firstName: 'Петров Пётр' },
      items: [
        { article: 'ART-1', brand: 'Bosch', name: 'Колодки тормозные', quantity: 2, unitPrice: 1010 },
        { article: 'OC90', brand: 'Mahle', name: 'Фильтр масляный', quantity: 1, unitPrice: 640 },
      ],
      totals: { currency: 'RUB', subtotal: 2660, total: 2660 },
    });
    expect(cursor).toEqual({ dateFrom: multiPart.date_track });
    expect(pages[0].observations).toHaveLength(all.length);
    expect(await calls('GetSellerOrdersV3')).toBe(1);
  });

  it('never publishes a part of an order when a full answer ends inside it, and resumes from a saved cursor', async () => {
    await sandbox.control.reset({ orders: 0 });
    await sandbox.control.setRateLimit({ kind: 'off' });
    const now = Date.parse(await sandbox.control.advanceClock(0));
    // Four orders of two parts, ten minutes apart: with three rows an answer, each ends inside the next order.
    const seeded = (
      await sandbox.control.seed({
        orders: [4, 3, 2, 1].map((age) => {
          const at = moscowTime(new Date(now - age * 10 * 60_000));
          return { partnumber: 'ART-1', price: 1010, create_date: at, date_track: at, extra_parts: [{ partnumber: 'ART-2', price: 1020 }] };
        }),
      })
    ).orders as unknown as SellerOrder[];
    const ctx = context({ rowCount: 3 });

    // A run that stops (crashes) after its second page.
    const first = await pull(ctx, undefined, 2);
    expect(first.records.map((record) => record.key)).toEqual(seeded.slice(0, 2).map((order) => String(order.code_order)));
    expect(first.cursor).toEqual({ dateFrom: seeded[1].date_track });

    const resumed = await pull(ctx, first.cursor);
    const published = [...first.records, ...resumed.records];
    expect(published.map((record) => record.key)).toEqual(seeded.map((order) => String(order.code_order)));
    for (const record of published) {
      expect(EVENTS['order.created'].data.parse(record.data).items.map((item) => item.article)).toEqual(['ART-1', 'ART-2']);
    }
    expect(resumed.cursor).toEqual({ dateFrom: seeded[3].date_track });
    // Two answers before the crash, three after it (the first re-reads the saved order inside the overlap).
    expect(await calls('GetSellerOrdersV3')).toBe(5);
  }, SLOW);

  it('reads next only new orders and status changes made in ZZap, each once', async () => {
    const ctx = context();
    const first = await pull(ctx);
    const [buyerCancels, sellerReady] = await orders();
    await changeStatusInZzap(buyerCancels.code_order, 6);
    const [fresh] = (await sandbox.control.seed({ orders: [{ partnumber: 'ART-3', class_man: 'Bosch', price: 1030 }] })).orders as unknown as SellerOrder[];

    const next = await pull(ctx, first.cursor);
    expect(created(next.records).map((record) => record.key)).toEqual([String(fresh.code_order)]);
    expect(changes(next.records)).toEqual([
      {
        key: String(buyerCancels.code_order),
        subject: 'order.status.changed',
        changeKey: expect.stringMatching(/^status-1-6-\d{8}T\d{6}0300$/),
        occurredAt: expect.stringMatching(/\+03:00$/),
        data: {
          orderSourceId: String(buyerCancels.code_order),
          orderNumber: String(buyerCancels.code_order),
          from: { id: '1', name: 'Новый' },
          to: { id: '6', name: 'Отказ' },
          changedAt: expect.stringMatching(/\+03:00$/),
          changedBy: { kind: 'user' },
        },
      },
    ]);
    expect(next.records.some((record) => record.key === String(sellerReady.code_order))).toBe(false);

    // Nothing happened since: the next read publishes nothing.
    expect((await pull(ctx, next.cursor)).records).toEqual([]);
  }, SLOW);
});

describe('order.status.set', () => {
  it('changes the status once at ZZap, survives a lost answer, and is not published back by the next pull', async () => {
    const ctx = context();
    const first = await pull(ctx);
    const [target] = await orders();
    expect(target.code_track).toBe(1);

    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', pathPrefix: '/webservice/datasharing.asmx/SetOrderStatusV3', count: 1 }] });
    expect(await setStatus(ctx, target.code_order, 4)).toEqual({ entityType: 'order', externalId: String(target.code_order), outcome: 'updated' });
    const [changed] = await orders();
    expect([changed.code_track, changed.changed_by]).toEqual([4, 'api']);
    expect(await calls('SetOrderStatusV3')).toBe(2);

    // No echo: Junction's own change is not a change made in ZZap.
    expect((await pull(ctx, first.cursor)).records).toEqual([]);

    // The same status again sends nothing.
    expect(await setStatus(ctx, target.code_order, 4)).toMatchObject({ outcome: 'unchanged' });
    expect(await calls('SetOrderStatusV3')).toBe(2);
  }, SLOW);

  it('gives up with ZZap\'s words on an unknown order or status', async () => {
    const ctx = context();
    const [target] = await orders();
    await expect(setStatus(ctx, 1, 4)).rejects.toMatchObject({ name: 'PermanentError', message: expect.stringContaining('order 1: Заказ не найден') });
    await expect(setStatus(ctx, target.code_order, 99)).rejects.toMatchObject({
      name: 'PermanentError',
      message: expect.stringContaining('Неверный код статуса'),
    });
    expect((await orders())[0].code_track).toBe(target.code_track);
  }, SLOW);
});

describe('rate limit', () => {
  it('keeps to one request per 3 seconds per key and pauses on a 429 instead of failing', async () => {
    await sandbox.control.reset();
    // The sandbox's own limit is on; one more 429 (without Retry-After, as ZZap sends them) is injected.
    await sandbox.control.setFaults({ rules: [{ kind: 'rate-limit', pathPrefix: '/webservice/datasharing.asmx/GetSellerOrdersV3', count: 1, retryAfterSeconds: null }] });
    const ctx = context();
    expect((await zzap.testConnection(ctx)).ok).toBe(true);
    const { records } = await pull(ctx);
    expect(records).toHaveLength((await orders()).length);

    const log = await sandbox.control.requests();
    expect(log.map((request) => [request.path.split('/').pop(), request.status])).toEqual([
      ['GetCodesTrack', 200],
      ['GetSellerOrdersV3', 429],
      ['GetSellerOrdersV3', 200],
    ]);
    expect(log.some((request) => request.rateLimited)).toBe(false);
    const gaps = log.slice(1).map((request, index) => Date.parse(request.at) - Date.parse(log[index].at));
    expect(gaps.every((gap) => gap >= 3_000)).toBe(true);
  }, SLOW);
});

describe('through the connector runtime', () => {
  const namespace = randomName('t');
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  let bus: Bus;
  let runtime: ConnectorRuntime<Settings, Credentials>;

  beforeAll(async () => {
    bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-zzap', namespace, logger });
    await bus.ensureStreams();
    runtime = new ConnectorRuntime(zzap, { dataSource: kit.dataSource, bus, logger, cipher: new SecretBox(SecretBox.generateKey()) });
    await runtime.start();
  });

  afterAll(async () => {
    await runtime?.stop();
    await bus?.close();
    await deleteNamespaceStreams(namespace);
  });

  function control(op: ConnectionOperation, body: unknown): Promise<unknown> {
    return bus.request(controlSubject('zzap', op), body, (raw) => raw, { timeoutMs: 15_000 });
  }

  async function published(subject: string, connectionId: string): Promise<Envelope[]> {
    const name = bus.streamName('EVENTS');
    const { state } = await bus.jsm.streams.info(name);
    const envelopes: Envelope[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const message = await bus.jsm.streams.getMessage(name, { seq });
      if (message?.subject !== bus.subject(subject)) continue;
      const envelope = message.json<Envelope>();
      if (envelope.source.connectionId === connectionId) envelopes.push(envelope);
    }
    return envelopes;
  }

  async function sync(connectionId: string, runs: number): Promise<void> {
    const requestId = randomName('sync-');
    await bus.publish('sync.requested', {
      id: messageId('sync', requestId),
      type: 'sync.requested',
      version: 1,
      source: { connector: 'scheduler', connectionId },
      occurredAt: new Date().toISOString(),
      data: { requestId, connector: 'zzap', connectionId, stream: 'orders', reason: 'manual', requestedAt: new Date().toISOString() },
    });
    const syncRuns = new SyncRuns(kit.dataSource);
    await waitFor(async () => {
      const finished = (await syncRuns.list({ connectionId, stream: 'orders', limit: 10 })).filter((run) => run.state !== 'running');
      return finished.length >= runs && finished;
    }, 30_000);
    expect((await syncRuns.list({ connectionId, stream: 'orders', limit: 10 })).map((run) => run.state)).toEqual(Array(runs).fill('succeeded'));
  }

  it('tests and syncs a connection, refuses a second one to the same cabinet, and never echoes its own status writes', async () => {
    const connection = { name: 'Order from ZZap', settings: { baseUrl: baseUrlFor(sandbox.url) }, credentials: SELLER };
    const first = ControlReply(ConnectionView).parse(await control('upsert', connection));
    if (!first.ok) throw new Error(first.error.message);
    const connectionId = first.data.id;
    const second = ControlReply(ConnectionView).parse(
      await control('upsert', { ...connection, name: 'Again', credentials: { ...SELLER, login: SELLER.login.toUpperCase() } }),
    );
    expect(second).toEqual({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`'Order from ZZap' (${connectionId})`) } });
    const tested = ControlReply(ConnectionTestResult).parse(await control('test', { connectionId }));
    expect(tested).toMatchObject({ ok: true, data: { ok: true, orderStatuses: expect.arrayContaining([{ id: '6', name: 'Отказ' }]) } });

    await sync(connectionId, 1);
    const seeded = await orders();
    expect((await published('order.created', connectionId)).map((event) => event.data as { sourceId: string }).map((order) => order.sourceId).sort()).toEqual(
      seeded.map((order) => String(order.code_order)).sort(),
    );

    // The buyer cancels one order in ZZap; RetailCRM (through mapping) sets another one ready.
    const [cancelled, readied] = seeded;
    await changeStatusInZzap(cancelled.code_order, 6);
    const commandId = messageId('e2e', randomName('cmd-'));
    await bus.publish('cmd.zzap.order.status.set', {
      id: commandId,
      type: 'cmd.zzap.order.status.set',
      version: 1,
      source: { connector: 'mapping', connectionId: 'mapping' },
      target: { connector: 'zzap', connectionId },
      occurredAt: new Date().toISOString(),
      data: statusSet(readied.code_order, 4),
    });
    const written = await waitFor(async () => (await published('record.written', connectionId)).find((event) => event.id === messageId(commandId, 'written')), 30_000);
    expect(written.data).toMatchObject({ entityType: 'order', externalId: String(readied.code_order), outcome: 'updated' });
    expect((await orders()).find((order) => order.code_order === readied.code_order)?.code_track).toBe(4);

    await sync(connectionId, 2);
    const statusChanges = await published('order.status.changed', connectionId);
    expect(statusChanges.map((event) => event.data)).toEqual([
      expect.objectContaining({ orderSourceId: String(cancelled.code_order), from: { id: '1', name: 'Новый' }, to: { id: '6', name: 'Отказ' } }),
    ]);
    expect(await published('order.created', connectionId)).toHaveLength(seeded.length);
  }, SLOW);
});
