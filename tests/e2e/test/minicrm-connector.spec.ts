import { ConnectorRuntime, MissingDependencyError, type ConnectorDefinition } from '@junction/connector-runtime';
import { COMMANDS, ConnectionTestResult, ConnectionView, ControlReply, controlSubject, type Order as CanonicalOrder } from '@junction/contracts';
import { Bus, PermanentError, RetryableError } from '@junction/messaging';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { createSandbox, SEEDED, type Category, type Contact, type Order, type Project, type Status } from '@junction/sandbox-minicrm';
import { SecretBox } from '@junction/secrets';
import { createLogger } from '@junction/telemetry';
import type { DataSource } from 'typeorm';
import { connectorContext, deleteNamespaceStreams, loadService, NATS_URL, openKitSchema, randomName } from './support';

// The MiniCRM connector against its sandbox: the setup check with order statuses, orders written once per
// Shoprenter order (contact and Webshop data sheet once per buyer), status changes, lost answers and 429s.

interface Settings {
  systemId: string;
  baseUrl?: string;
  couponCodesField?: string;
  requestsPerMinute?: number;
}
interface Credentials {
  apiKey: string;
}

const { minicrm } = loadService<{ minicrm: ConnectorDefinition<Settings, Credentials> }>('minicrm');
const SYSTEM = SEEDED.systemId;
const COUPON_FIELD = 'Text1301';

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };
let connectionCount = 0;

// The sandbox's limit is switched off and the connection allows as much: the 429 tests inject their refusals.
function settings(overrides: Partial<Settings> = {}): Settings {
  return { systemId: String(SYSTEM), baseUrl: sandbox.url, couponCodesField: COUPON_FIELD, requestsPerMinute: 6_000, ...overrides };
}

/** A fresh connection (own ID map) per test unless one is shared on purpose. */
function context(overrides: Partial<Settings> = {}, apiKey: string = SEEDED.apiKey) {
  connectionCount += 1;
  // As the runtime hands them over: parsed, with the defaults filled in.
  const parsed = minicrm.settingsSchema.parse(settings(overrides));
  return connectorContext<Settings, Credentials>(kit.dataSource, { id: `mc-${connectionCount}`, name: 'Demo Kft.', settings: parsed }, { apiKey });
}

type Ctx = ReturnType<typeof context>;

async function categoryOf(type: Category['Type'], systemId = SYSTEM): Promise<Category> {
  const categories = await sandbox.control.records<Category>('categories');
  const found = categories.find((category) => category.SystemId === systemId && category.Type === type);
  if (!found) throw new Error(`no ${type} category`);
  return found;
}

async function statusesOf(type: Category['Type']): Promise<Status[]> {
  const category = await categoryOf(type);
  return (await sandbox.control.records<Status>('statuses')).filter((status) => status.CategoryId === category.Id);
}

async function orderStatus(name: string): Promise<{ id: string; name: string }> {
  const status = (await statusesOf('Order')).find((candidate) => candidate.Name === name);
  if (!status) throw new Error(`no order status ${name}`);
  return { id: String(status.Id), name: status.Name };
}

const sourceKey = (orderId: string) => `shoprenter:sr-1:order:${orderId}`;

function upsertData(orderId: string, targetStatus: { id: string; name: string } | undefined, overrides: Partial<CanonicalOrder> = {}) {
  return COMMANDS['order.upsert'].data.parse({
    sourceKey: sourceKey(orderId),
    targetStatus,
    order: {
      sourceId: orderId,
      number: `10${orderId}`,
      status: { id: 'b3JkZXJTdGF0dXMtb3JkZXJfc3RhdHVzX2lkPTE=', name: 'Függőben' },
      customer: { firstName: 'Anna', lastName: 'Nagy', email: 'anna.nagy@example.hu', phone: '+36 30 123 4567' },
      billingAddress: { line1: 'Fő utca 2.', city: 'Szeged', postalCode: '6720', country: 'Magyarország' },
      items: [{ name: 'Kerámia bögre', sku: 'MUG-001', quantity: 2, unitPrice: 2362, taxRate: 27 }],
      totals: { currency: 'HUF', subtotal: 4724, discount: 472.4, total: 5399.53 },
      coupons: [{ code: 'WELCOME10', amount: 472.4 }],
      createdAt: '2026-03-01T10:00:00Z',
      ...overrides,
    },
  });
}

const upsert = (ctx: Ctx, data: ReturnType<typeof upsertData>) => minicrm.commands['order.upsert']!(ctx, data, {} as never);

function statusSet(ctx: Ctx, orderId: string, status: { id: string; name: string }) {
  const data = COMMANDS['order.status.set'].data.parse({
    sourceKey: sourceKey(orderId),
    orderNumber: `10${orderId}`,
    status,
    changeId: `change-${orderId}-${status.id}`,
  });
  return minicrm.commands['order.status.set']!(ctx, data, {} as never);
}

async function systemRecords() {
  const mine = <T extends { SystemId: number }>(rows: T[]) => rows.filter((row) => row.SystemId === SYSTEM);
  return {
    contacts: mine(await sandbox.control.records<Contact>('contacts')),
    projects: mine(await sandbox.control.records<Project>('projects')),
    orders: mine(await sandbox.control.records<Order>('orders')),
  };
}

/** The order's card in the Order product, as stored. */
async function cardOf(orderId: string): Promise<Project> {
  const { orders, projects } = await systemRecords();
  const order = orders.find((candidate) => String(candidate.Id) === orderId);
  const card = projects.find((project) => project.Id === order?.ProjectId);
  if (!card) throw new Error(`order ${orderId} has no card`);
  return card;
}

/** The API calls the sandbox answered since its last reset, as `METHOD /path`. */
async function calls(): Promise<string[]> {
  return (await sandbox.control.requests()).map((request) => `${request.method} ${request.path}`);
}

beforeAll(async () => {
  sandbox = await startSandbox(createSandbox());
  kit = await openKitSchema();
});

afterAll(async () => {
  await sandbox?.close();
  await kit?.drop();
});

async function resetSandbox(options: Record<string, unknown> = {}) {
  await sandbox.control.reset(options);
  await sandbox.control.setRateLimit({ kind: 'off' });
}

beforeEach(() => resetSandbox());

describe('test connection', () => {
  it('lists the Order product’s statuses as the order statuses, with the product ids', async () => {
    const result = await minicrm.testConnection(context());
    const [order, webshop] = [await categoryOf('Order'), await categoryOf('Webshop')];
    expect(result).toEqual({
      ok: true,
      message: `Connected to MiniCRM system ${SYSTEM}: Order product "Megrendelés" with 5 order statuses, Webshop product "Webshop"`,
      orderStatuses: (await statusesOf('Order')).map((status) => ({ id: String(status.Id), name: status.Name })),
      details: { systemId: String(SYSTEM), orderCategoryId: String(order.Id), webshopCategoryId: String(webshop.Id) },
    });
  });

  it('re-reads the statuses on every test', async () => {
    const [first] = await statusesOf('Order');
    await sandbox.control.update('statuses', first.Id, { Name: 'Beérkezett' });
    const result = await minicrm.testConnection(context());
    expect(result.orderStatuses?.[0]).toEqual({ id: String(first.Id), name: 'Beérkezett' });
  });

  it('names the missing setup step: the Order product first, then the Webshop product', async () => {
    await resetSandbox({ products: [] });
    expect(await minicrm.testConnection(context())).toEqual({
      ok: false,
      message: `MiniCRM system ${SYSTEM} has no Order (Megrendelés) product: set up the Order product first, then the Webshop product`,
    });
    await resetSandbox({ products: ['Order'] });
    expect(await minicrm.testConnection(context())).toEqual({
      ok: false,
      message: `MiniCRM system ${SYSTEM} has the Order product, but the Webshop product is missing: add the Webshop product`,
    });
  });

  it('tells a refused key (401, or the manual’s "404 Unauthorized") and an unknown system, without the key', async () => {
    const wrongKey = await minicrm.testConnection(context({}, 'not-the-key'));
    expect(wrongKey).toEqual({ ok: false, message: expect.stringMatching(/^MiniCRM refused SystemId 12345 with this API key \(401 Unauthorized\)/) });
    await resetSandbox({ unauthorizedStatus: 404 });
    const literal404 = await minicrm.testConnection(context({}, 'not-the-key'));
    expect(literal404.message).toMatch(/^MiniCRM refused SystemId 12345 with this API key \(404 Unauthorized\)/);
    const unknownSystem = await minicrm.testConnection(context({ systemId: '99999' }));
    expect(unknownSystem).toEqual({ ok: false, message: expect.stringMatching(/^MiniCRM refused SystemId 99999 .*SystemId .* is unknown/) });
    expect(JSON.stringify([wrongKey, literal404, unknownSystem])).not.toContain(SEEDED.apiKey);
  });

  it('refuses a coupon field the Order product does not have', async () => {
    const result = await minicrm.testConnection(context({ couponCodesField: 'Text9999' }));
    expect(result).toEqual({ ok: false, message: 'The Order product "Megrendelés" has no field Text9999 for the coupon codes: check the field\'s API name' });
  });
});

describe('one connection per MiniCRM system', () => {
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  const namespace = randomName('t');
  let bus: Bus;
  let runtime: ConnectorRuntime<Settings, Credentials>;
  const request = (op: 'upsert' | 'test', body: unknown) => bus.request(controlSubject('minicrm', op), body, (raw) => raw, { timeoutMs: 15_000 });
  const upsertConnection = async (body: unknown) => ControlReply(ConnectionView).parse(await request('upsert', body));
  const testConnection = async (connectionId: string) => ControlReply(ConnectionTestResult).parse(await request('test', { connectionId }));

  beforeAll(async () => {
    bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-minicrm', namespace, logger });
    await bus.ensureStreams();
    runtime = new ConnectorRuntime(minicrm, { dataSource: kit.dataSource, bus, logger, cipher: new SecretBox(SecretBox.generateKey()) });
    await runtime.start();
  });

  afterAll(async () => {
    await runtime?.stop();
    await bus?.close();
    await deleteNamespaceStreams(namespace);
  });

  it('refuses a second connection to the same system, while another system may connect', async () => {
    const first = await upsertConnection({ name: 'Webshop A', settings: settings(), credentials: { apiKey: SEEDED.apiKey } });
    expect(first).toMatchObject({ ok: true });
    const second = await upsertConnection({ name: 'Webshop B', settings: settings(), credentials: { apiKey: SEEDED.apiKey } });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const other = await upsertConnection({
      name: 'Másik Bt.',
      settings: settings({ systemId: String(SEEDED.other.systemId) }),
      credentials: { apiKey: SEEDED.other.apiKey },
    });
    expect(other).toMatchObject({ ok: true });
    if (!other.ok) return;
    expect(await testConnection(other.data.id)).toMatchObject({ ok: true, data: { ok: true } });
  });
});

describe('order.upsert', () => {
  it('writes one contact, one Webshop data sheet and one order with its status and coupon; a second order of the buyer reuses them', async () => {
    const ctx = context();
    const processing = await orderStatus('Feldolgozás alatt');
    const before = await systemRecords();

    const first = await upsert(ctx, upsertData('501', processing));
    const second = await upsert(ctx, upsertData('502', await orderStatus('Új megrendelés'), { coupons: [], totals: { currency: 'HUF', subtotal: 4724, total: 5999.48 } }));
    expect([first.outcome, second.outcome]).toEqual(['created', 'created']);
    expect(first).toEqual({ entityType: 'order', externalId: expect.any(String), outcome: 'created' });

    const after = await systemRecords();
    const anna = after.contacts.filter((contact) => contact.Email === 'anna.nagy@example.hu');
    expect(anna).toEqual([expect.objectContaining({ Type: 'Person', FirstName: 'Anna', LastName: 'Nagy', Phone: '+36 30 123 4567' })]);
    const webshop = await categoryOf('Webshop');
    const sheets = after.projects.filter((project) => project.CategoryId === webshop.Id);
    expect(sheets).toEqual([expect.objectContaining({ ContactId: anna[0].Id, Name: 'Nagy Anna' })]);
    expect(after.orders).toHaveLength(before.orders.length + 2);

    const order = after.orders.find((candidate) => String(candidate.Id) === first.externalId)!;
    expect(order).toMatchObject({ CustomerId: anna[0].Id, Number: '10501', CurrencyCode: 'HUF', Status: 'Draft' });
    expect(order.Items).toEqual([
      expect.objectContaining({ SKU: 'MUG-001', Name: 'Kerámia bögre', PriceNet: 2362, Quantity: 2, VAT: 27 }),
      expect.objectContaining({ SKU: 'WELCOME10', Name: 'Kupon: WELCOME10', PriceNet: -472.4, Quantity: 1 }),
    ]);
    const card = await cardOf(first.externalId);
    expect(card).toMatchObject({ CategoryId: (await categoryOf('Order')).Id, ContactId: anna[0].Id, StatusId: Number(processing.id), [COUPON_FIELD]: 'WELCOME10' });
    expect(await cardOf(second.externalId)).toMatchObject({ ContactId: anna[0].Id, [COUPON_FIELD]: '' });
  });

  it('reads the products once for the connection’s orders, and writes a new buyer’s data sheet without looking for one', async () => {
    const ctx = context();
    const status = await orderStatus('Új megrendelés');
    await upsert(ctx, upsertData('511', status, { customer: { firstName: 'Eszter', lastName: 'Kiss', email: 'kiss.eszter@example.hu' } }));
    await upsert(ctx, upsertData('512', status, { customer: { firstName: 'Gábor', lastName: 'Fehér', email: 'feher.gabor@example.hu' } }));

    // Contact lookup and create, data sheet, the order's lookup by reference, the order.
    const newBuyersOrder = ['GET /Api/R3/Contact', 'PUT /Api/R3/Contact', 'PUT /Api/R3/Project', 'GET /Api/R3/Project', 'POST /Api/Order'];
    expect(await calls()).toEqual([newBuyersOrder[0], 'GET /Api/R3/Category', ...newBuyersOrder.slice(1), ...newBuyersOrder]);
    const { contacts, projects } = await systemRecords();
    const kiss = contacts.find((contact) => contact.Email === 'kiss.eszter@example.hu')!;
    expect(projects.filter((project) => project.ContactId === kiss.Id).map((project) => project.CategoryId).sort()).toEqual(
      [(await categoryOf('Order')).Id, (await categoryOf('Webshop')).Id].sort(),
    );
  });

  it('finds a new buyer’s data sheet whose answer was lost, and writes it once', async () => {
    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['PUT'], pathPrefix: '/Api/R3/Project', count: 1 }] });
    const written = await upsert(context(), upsertData('521', await orderStatus('Új megrendelés'), {
      customer: { firstName: 'Réka', lastName: 'Varga', email: 'varga.reka@example.hu' },
    }));
    expect(written.outcome).toBe('created');

    const { contacts, projects } = await systemRecords();
    const varga = contacts.filter((contact) => contact.Email === 'varga.reka@example.hu');
    expect(varga).toHaveLength(1);
    const webshop = await categoryOf('Webshop');
    expect(projects.filter((project) => project.ContactId === varga[0].Id && project.CategoryId === webshop.Id)).toHaveLength(1);
  });

  it('leaves Kovács Péter’s Sales data sheet alone when he orders: his contact is reused, his Webshop data sheet is new', async () => {
    const before = await systemRecords();
    const kovacs = before.contacts.find((contact) => contact.Email === 'kovacs.peter@example.hu')!;
    const salesSheet = before.projects.find((project) => project.ContactId === kovacs.Id)!;
    expect(salesSheet.CategoryId).toBe((await categoryOf('Sales')).Id);

    const written = await upsert(context(), upsertData('601', await orderStatus('Új megrendelés'), {
      customer: { firstName: 'Péter', lastName: 'Kovács', email: 'kovacs.peter@example.hu' },
    }));

    const after = await systemRecords();
    expect(after.contacts).toHaveLength(before.contacts.length);
    expect(after.projects.find((project) => project.Id === salesSheet.Id)).toEqual(salesSheet);
    const webshop = await categoryOf('Webshop');
    expect(after.projects.filter((project) => project.ContactId === kovacs.Id && project.CategoryId === webshop.Id)).toHaveLength(1);
    expect(await cardOf(written.externalId)).toMatchObject({ ContactId: kovacs.Id, CategoryId: (await categoryOf('Order')).Id });
    expect((await cardOf(written.externalId)).Id).not.toBe(salesSheet.Id);
  });

  it('updates the card of an order written before instead of writing another', async () => {
    const ctx = context();
    const created = await upsert(ctx, upsertData('701', await orderStatus('Új megrendelés'), { coupons: [] }));
    const shipped = await orderStatus('Kiszállítva');
    const changed = upsertData('701', shipped, { coupons: [{ code: 'LATE5' }] });

    expect(await upsert(ctx, changed)).toEqual({ entityType: 'order', externalId: created.externalId, outcome: 'updated' });
    expect(await upsert(ctx, changed)).toEqual({ entityType: 'order', externalId: created.externalId, outcome: 'unchanged' });
    expect(await cardOf(created.externalId)).toMatchObject({ StatusId: Number(shipped.id), [COUPON_FIELD]: 'LATE5' });
    expect((await systemRecords()).orders.filter((order) => order.Number === '10701')).toHaveLength(1);
  });

  it('keeps a status MiniCRM changed after the source order last changed; a newer source state moves it', async () => {
    const ctx = context();
    const created = await upsert(ctx, upsertData('711', await orderStatus('Új megrendelés'), { coupons: [] }));
    const inCrm = await orderStatus('Feldolgozás alatt');
    // Someone moved the card in MiniCRM at 12:00 Hungarian time (11:00 UTC in March).
    await sandbox.control.update('projects', (await cardOf(created.externalId)).Id, { StatusId: Number(inCrm.id), StatusUpdatedAt: '2026-03-02 12:00:00' });
    const shipped = await orderStatus('Kiszállítva');

    // Announced late: the shop's order last changed at 11:30 in Budapest.
    const stale = upsertData('711', shipped, { coupons: [], updatedAt: '2026-03-02T10:30:00Z' });
    expect(await upsert(ctx, stale)).toEqual({ entityType: 'order', externalId: created.externalId, outcome: 'unchanged' });
    expect((await cardOf(created.externalId)).StatusId).toBe(Number(inCrm.id));

    // The shop's order changed again at 12:30 in Budapest, after MiniCRM's change.
    const newer = upsertData('711', shipped, { coupons: [], updatedAt: '2026-03-02T11:30:00Z' });
    expect(await upsert(ctx, newer)).toEqual({ entityType: 'order', externalId: created.externalId, outcome: 'updated' });
    expect((await cardOf(created.externalId)).StatusId).toBe(Number(shipped.id));
  });

  it('finds what an attempt wrote when each create’s answer was lost, and writes each record once', async () => {
    const ctx = context();
    await sandbox.control.setFaults({
      rules: [
        { kind: 'lose-response', methods: ['PUT'], pathPrefix: '/Api/R3/Contact', count: 1 },
        { kind: 'lose-response', methods: ['PUT'], pathPrefix: '/Api/R3/Project', count: 1 },
        { kind: 'lose-response', methods: ['POST'], pathPrefix: '/Api/Order', count: 1 },
      ],
    });
    const data = upsertData('801', await orderStatus('Feldolgozás alatt'), {
      customer: { firstName: 'Bence', lastName: 'Tóth', email: 'toth.bence@example.hu' },
    });
    // Contact, Webshop data sheet and order: each attempt loses one answer after MiniCRM committed the write.
    for (let attempt = 0; attempt < 3; attempt++) await expect(upsert(ctx, data)).rejects.toThrow(/connection lost/);
    const recovered = await upsert(ctx, data);
    expect(recovered.outcome).toBe('found_existing');
    expect((await upsert(ctx, data)).outcome).toBe('unchanged');

    const { contacts, projects, orders } = await systemRecords();
    const bence = contacts.filter((contact) => contact.Email === 'toth.bence@example.hu');
    expect(bence).toHaveLength(1);
    expect(projects.filter((project) => project.ContactId === bence[0].Id)).toHaveLength(2); // Webshop sheet + order card
    expect(orders.filter((order) => order.CustomerId === bence[0].Id).map((order) => String(order.Id))).toEqual([recovered.externalId]);
  });

  it('finds the order when the worker crashed between MiniCRM’s answer and the ID map', async () => {
    const ctx = context();
    const data = upsertData('802', await orderStatus('Feldolgozás alatt'));
    const crashing: Ctx = {
      ...ctx,
      idMap: Object.assign(Object.create(Object.getPrototypeOf(ctx.idMap)), ctx.idMap, {
        ensure: async (entityType: string, key: string, steps: { lookupExisting(): Promise<string | undefined>; create(): Promise<string> }) => {
          if (entityType !== 'order') return ctx.idMap.ensure(entityType, key, steps);
          await steps.create();
          throw new Error('worker died before recording the order');
        },
      }),
    };
    await expect(upsert(crashing, data)).rejects.toThrow(/worker died/);
    const recovered = await upsert(ctx, data);
    expect(recovered.outcome).toBe('found_existing');
    expect((await systemRecords()).orders.filter((order) => order.Number === '10802').map((order) => String(order.Id))).toEqual([recovered.externalId]);
  });

  it('recognises a buyer without e-mail by name and phone, also after a lost answer', async () => {
    const ctx = context();
    const customer = { firstName: 'Zoltán', lastName: 'Szabó', phone: '+36 20 555 1234' };
    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['PUT'], pathPrefix: '/Api/R3/Contact', count: 1 }] });
    const status = await orderStatus('Új megrendelés');
    await expect(upsert(ctx, upsertData('851', status, { customer }))).rejects.toThrow(/connection lost/);
    await upsert(ctx, upsertData('851', status, { customer }));
    await upsert(ctx, upsertData('852', status, { customer }));

    const { contacts, orders } = await systemRecords();
    const szabo = contacts.filter((contact) => contact.Phone === customer.phone);
    expect(szabo).toEqual([expect.objectContaining({ FirstName: 'Zoltán', LastName: 'Szabó', Email: '' })]);
    expect(orders.filter((order) => order.CustomerId === szabo[0].Id).map((order) => order.Number).sort()).toEqual(['10851', '10852']);
  });

  it('refuses orders while the Webshop product is missing, and writes nothing; takes them once it is added', async () => {
    await resetSandbox({ products: ['Order'] });
    const ctx = context();
    const before = await systemRecords();
    await expect(upsert(ctx, upsertData('902', await orderStatus('Új megrendelés')))).rejects.toThrow(
      new PermanentError(`MiniCRM system ${SYSTEM} has the Order product, but the Webshop product is missing: add the Webshop product`),
    );
    expect(await systemRecords()).toEqual(before);

    await resetSandbox({ products: ['Order', 'Webshop'] });
    expect((await upsert(ctx, upsertData('902', await orderStatus('Új megrendelés')))).outcome).toBe('created');
  });

  it('refuses an order whose status the integration does not map, and writes nothing', async () => {
    const before = await systemRecords();
    await expect(upsert(context(), upsertData('901', undefined))).rejects.toThrow(PermanentError);
    await expect(upsert(context(), upsertData('901', undefined))).rejects.toThrow(/"Függőben".*does not pair with a MiniCRM order status/);
    expect(await systemRecords()).toEqual(before);
  });
});

describe('order.status.set', () => {
  it('moves the card’s status once; the same status again is a no-op', async () => {
    const ctx = context();
    const { externalId } = await upsert(ctx, upsertData('1001', await orderStatus('Új megrendelés')));
    const done = await orderStatus('Teljesítve');
    const since = (await sandbox.control.requests()).at(-1)?.seq ?? 0;

    expect(await statusSet(ctx, '1001', done)).toEqual({ entityType: 'order', externalId, outcome: 'updated' });
    expect(await statusSet(ctx, '1001', done)).toEqual({ entityType: 'order', externalId, outcome: 'unchanged' });
    expect((await cardOf(externalId)).StatusId).toBe(Number(done.id));
    const writes = (await sandbox.control.requests(since)).filter((request) => request.method !== 'GET');
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([`POST /Api/Order/${externalId}/Project`]);
  });

  it('waits for an order whose upsert has not arrived yet', async () => {
    const error = await statusSet(context(), '1002', await orderStatus('Teljesítve')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error).toMatchObject({ message: expect.stringContaining('order 101002 is not in MiniCRM yet'), awaited: { entityType: 'order' } });
  });

  it('passes MiniCRM’s words on for a status the Order product does not have', async () => {
    const ctx = context();
    await upsert(ctx, upsertData('1003', await orderStatus('Új megrendelés')));
    const vasarlo = (await statusesOf('Webshop')).find((status) => status.Name === 'Vásárló')!;
    await expect(statusSet(ctx, '1003', { id: String(vasarlo.Id), name: vasarlo.Name })).rejects.toMatchObject({
      name: 'VendorValidationError',
      message: expect.stringContaining(`Order: Invalid value '${vasarlo.Id}' for the Status field.`),
    });
  });
});

describe('rate limits', () => {
  it('pauses through a burst of 429s without Retry-After and completes the order', async () => {
    await sandbox.control.setFaults({ rules: [{ kind: 'rate-limit', retryAfterSeconds: null, pathPrefix: '/Api/R3/Contact', count: 3 }] });
    const written = await upsert(context(), upsertData('1101', await orderStatus('Új megrendelés')));
    expect(written.outcome).toBe('created');
    const limited = (await sandbox.control.requests()).filter((request) => request.status === 429);
    expect(limited).toHaveLength(3);
    expect((await systemRecords()).orders.filter((order) => order.Number === '101101')).toHaveLength(1);
  });

  it('asks for a retry in a minute when the limit stays spent, and completes on the retry', async () => {
    const ctx = context();
    await sandbox.control.setFaults({ rules: [{ kind: 'rate-limit', retryAfterSeconds: null, pathPrefix: '/Api/R3/Category', count: 5 }] });
    const data = upsertData('1102', await orderStatus('Új megrendelés'));
    const error = await upsert(ctx, data).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ retryAfterMs: 60_000, message: expect.stringContaining('429') });
    expect((await upsert(ctx, data)).outcome).toBe('created');
  });
});
