import type { CommandContext, ConnectorDefinition, PulledRecord, StreamPage } from '@junction/connector-runtime';
import { COMMANDS, EVENTS, type EventSubject } from '@junction/contracts';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import * as rsSandbox from '@junction/sandbox-repairshopr';
import * as zmSandbox from '@junction/sandbox-zomentum';
import type { DataSource } from 'typeorm';
import { connectorContext, loadService, openKitSchema } from './support';

// Update sync at the connector level, against the sandboxes: pull streams tell creations from changes with
// fingerprints kept in the connection's observations, `*.ensure` with updateExisting writes only changed fields, and
// Junction's own update is not pulled back as a change.

const { repairshopr } = loadService<{ repairshopr: ConnectorDefinition<unknown, unknown> }>('repairshopr');
const { zomentum } = loadService<{ zomentum: ConnectorDefinition<unknown, unknown> }>('zomentum');

let rs: RunningSandbox;
let zm: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };
let connections = 0;

beforeAll(async () => {
  rs = await startSandbox(rsSandbox.createSandbox());
  zm = await startSandbox(zmSandbox.createSandbox());
  kit = await openKitSchema();
});

afterAll(async () => {
  await rs?.close();
  await zm?.close();
  await kit?.drop();
});

/** A fresh connection (ID map and observations of its own) to the RepairShopr sandbox. */
function rsConnection(): CommandContext<unknown, unknown> {
  const settings = { subdomain: 'acme', baseUrl: rsSandbox.baseUrlFor(rs.url, 'acme') };
  return connectorContext(kit.dataSource, { id: `rs-update-${++connections}`, name: 'Acme', settings }, { apiToken: rsSandbox.SEEDED.tokens.full });
}

function zmConnection(): CommandContext<unknown, unknown> {
  const settings = {
    baseUrl: zmSandbox.baseUrlFor(zm.url, 'v2'),
    refreshUrl: `${zmSandbox.baseUrlFor(zm.url, 'v1')}/oauth/access-token`,
    requestsPerMinute: 6_000,
  };
  const credentials = { accessToken: zmSandbox.SEEDED.accessToken, refreshToken: zmSandbox.SEEDED.refreshToken };
  return connectorContext(kit.dataSource, { id: `zm-update-${++connections}`, name: 'Contoso', settings }, credentials);
}

interface Pulled {
  records: PulledRecord[];
  cursor: unknown;
  /** Records by the event they become. */
  of(subject: EventSubject): PulledRecord[];
}

/** Reads a stream to its end and stores each page's observations, as the sync runner does once a page is durable. */
async function pull(connector: ConnectorDefinition<unknown, unknown>, stream: string, ctx: CommandContext<unknown, unknown>, cursor?: unknown): Promise<Pulled> {
  const records: PulledRecord[] = [];
  let last = cursor;
  const definition = connector.streams[stream];
  for await (const page of definition.read(ctx, cursor) as AsyncIterable<StreamPage<unknown>>) {
    records.push(...page.records);
    await ctx.observations.setMany(page.observations ?? []);
    last = page.cursor;
  }
  for (const record of records) {
    expect(() => EVENTS[record.subject ?? definition.eventSubject].data.parse(record.data)).not.toThrow();
  }
  return { records, cursor: last, of: (subject) => records.filter((record) => (record.subject ?? definition.eventSubject) === subject) };
}

const puts = async (sandbox: RunningSandbox, since: number) =>
  (await sandbox.control.requests(since)).filter((request) => request.method === 'PUT').map((request) => request.path);

const lastRequest = async (sandbox: RunningSandbox) => (await sandbox.control.requests()).at(-1)?.seq ?? 0;

describe('RepairShopr', () => {
  beforeEach(() => rs.control.reset({ customers: 3, contactsPerCustomer: 1, productsPerCategory: 1, estimates: 0, pageSizes: { customers: 2 } }));

  const acme = async <T extends { account_id: number }>(collection: string) =>
    (await rs.control.records<T>(collection)).filter((record) => record.account_id === 1);

  it('pulls creations once, then a changed customer as customer.updated once, on any page', async () => {
    const ctx = rsConnection();
    const customers = await acme<rsSandbox.Customer>('customers');
    const first = await pull(repairshopr, 'customers', ctx);
    expect(first.of('customer.created').map((record) => record.key).sort()).toEqual(customers.map((c) => String(c.id)).sort());

    // Nothing changed: a new pass over every page publishes nothing.
    expect((await pull(repairshopr, 'customers', ctx, first.cursor)).records).toEqual([]);

    // A change on the first page (the pass starts over) and one of a field Junction does not sync.
    await rs.control.update('customers', customers[0].id, { phone: '+1 555 0100' });
    await rs.control.update('customers', customers[1].id, { notes: 'prefers e-mail' });
    const second = await pull(repairshopr, 'customers', ctx, first.cursor);
    expect(second.records).toEqual([
      expect.objectContaining({ key: String(customers[0].id), subject: 'customer.updated', changeKey: expect.stringMatching(/^1-[0-9a-f]{24}$/) }),
    ]);
    expect(second.records[0].data).toMatchObject({ phone: '+1 555 0100' });
    expect((await pull(repairshopr, 'customers', ctx, second.cursor)).records).toEqual([]);
  });

  it('takes over a cursor saved before observations were kept: no creations again, later changes published', async () => {
    const ctx = rsConnection();
    const contacts = await acme<rsSandbox.Contact>('contacts');
    const legacy = { page: 1, lastId: Math.max(...contacts.map((c) => c.id)) };
    expect((await pull(repairshopr, 'contacts', ctx, legacy)).records).toEqual([]);

    await rs.control.update('contacts', contacts[1].id, { email: 'changed@example.com' });
    const [seeded] = (await rs.control.seed({ contacts: [{ account_id: 1, customer_id: contacts[0].customer_id, name: 'New Person' }] })).contacts as Array<{ id: number }>;
    const next = await pull(repairshopr, 'contacts', ctx, legacy);
    expect(next.records.map((record) => [record.key, record.subject ?? 'contact.created'])).toEqual([
      [String(contacts[1].id), 'contact.updated'],
      [String(seeded.id), 'contact.created'],
    ]);
  });

  it('updates a mapped contact and product with only their changed fields, once, and does not pull that back', async () => {
    const ctx = rsConnection();
    await pull(repairshopr, 'contacts', ctx);
    await pull(repairshopr, 'products', ctx);
    const key = (kind: string, id: string) => `zomentum:z-up:${kind}:${id}`;
    const customer = COMMANDS['customer.ensure'].data.parse({ sourceKey: key('client', 'c1'), customer: { sourceId: 'c1', businessName: 'Update Co' } });
    await repairshopr.commands['customer.ensure']!(ctx, customer, {} as never);
    const contactCommand = (email: string, phone?: string) =>
      COMMANDS['contact.ensure'].data.parse({
        sourceKey: key('contact', 'u1'),
        customerSourceKey: key('client', 'c1'),
        contact: { sourceId: 'u1', customerSourceId: 'c1', firstName: 'Pat', lastName: 'Lee', email, phone },
        updateExisting: true,
      });
    const productCommand = (price: number) =>
      COMMANDS['product.ensure'].data.parse({
        sourceKey: key('product', 'p1'),
        product: { sourceId: 'p1', name: 'Managed Backup', sku: 'MB-1', category: 'Service', price, billingPeriod: 'monthly' },
        targetCategory: 'Labor',
        updateExisting: true,
      });
    const contact = await repairshopr.commands['contact.ensure']!(ctx, contactCommand('pat@update.example.com'), {} as never);
    const product = await repairshopr.commands['product.ensure']!(ctx, productCommand(13), {} as never);
    expect([contact.outcome, product.outcome]).toEqual(['created', 'created']);
    // What Junction created is its own write, not a new record, when pulled.
    expect((await pull(repairshopr, 'contacts', ctx)).of('contact.created').map((r) => r.key)).toEqual([contact.externalId]);

    // Someone renames the contact and rewrites the product's description in RepairShopr meanwhile.
    await rs.control.update('contacts', Number(contact.externalId), { name: 'Patricia Lee' });
    await rs.control.update('products', Number(product.externalId), { description: 'Nightly backup, 30 days kept' });
    expect((await pull(repairshopr, 'contacts', ctx)).of('contact.updated').map((record) => record.key)).toEqual([contact.externalId]);
    expect((await pull(repairshopr, 'products', ctx)).of('product.updated').map((record) => record.key)).toEqual([product.externalId]);

    const since = await lastRequest(rs);
    const changedContact = contactCommand('pat@update.example.com', '+1 555 0199');
    expect(await repairshopr.commands['contact.ensure']!(ctx, changedContact, {} as never)).toEqual({ ...contact, outcome: 'updated' });
    expect(await repairshopr.commands['contact.ensure']!(ctx, changedContact, {} as never)).toEqual({ ...contact, outcome: 'unchanged' });
    expect(await repairshopr.commands['product.ensure']!(ctx, productCommand(15), {} as never)).toEqual({ ...product, outcome: 'updated' });
    expect(await repairshopr.commands['product.ensure']!(ctx, productCommand(15), {} as never)).toMatchObject({ outcome: 'unchanged' });
    expect(await puts(rs, since)).toEqual([`/acme/api/v1/contacts/${contact.externalId}`, `/acme/api/v1/products/${product.externalId}`]);

    // Only the changed fields were sent: what was edited in RepairShopr stays.
    const storedContact = (await acme<rsSandbox.Contact>('contacts')).find((row) => String(row.id) === contact.externalId);
    expect(storedContact).toMatchObject({ name: 'Patricia Lee', phone: '+1 555 0199', email: 'pat@update.example.com' });
    const stored = (await acme<rsSandbox.Product>('products')).find((row) => String(row.id) === product.externalId);
    expect(stored).toMatchObject({ price_retail: 15, upc_code: 'MB-1', description: 'Nightly backup, 30 days kept' });

    // Junction's own updates come back from the next pulls as nothing at all.
    expect((await pull(repairshopr, 'contacts', ctx)).records).toEqual([]);
    expect((await pull(repairshopr, 'products', ctx)).records).toEqual([]);
  });

  it('still sees a change someone made to a record Junction created before any pull read it', async () => {
    const ctx = rsConnection();
    const created = await repairshopr.commands['customer.ensure']!(
      ctx,
      COMMANDS['customer.ensure'].data.parse({ sourceKey: 'zomentum:z-up:client:c7', customer: { sourceId: 'c7', businessName: 'Early Edit Ltd' } }),
      {} as never,
    );
    await rs.control.update('customers', Number(created.externalId), { phone: '+1 555 0142' });
    const pulled = await pull(repairshopr, 'customers', ctx);
    expect(pulled.of('customer.updated').map((record) => record.key)).toEqual([created.externalId]);
  });
});

describe('Zomentum', () => {
  beforeEach(() => zm.control.reset({ clients: 2, contactsPerClient: 1, documents: 0 }));

  it('pulls a price change as product.updated once; other edits of the item publish nothing', async () => {
    const ctx = zmConnection();
    const items = await zm.control.records<zmSandbox.Item>('items');
    const first = await pull(zomentum, 'products', ctx);
    expect(first.of('product.created')).toHaveLength(items.length);

    const [item] = items;
    await zm.control.update('items', item.id, { pricing: item.pricing.map((price, index) => (index === 0 ? { ...price, sell_price: price.sell_price + 10 } : price)) });
    await zm.control.update('items', items[1].id, { item_images: ['https://example.com/a.png'] });
    const second = await pull(zomentum, 'products', ctx, first.cursor);
    expect(second.records).toEqual([expect.objectContaining({ key: item.id, subject: 'product.updated', data: expect.objectContaining({ price: item.pricing[0].sell_price + 10 }) })]);
    expect((await pull(zomentum, 'products', ctx, second.cursor)).records).toEqual([]);
  });

  it('updates a contact and an item Junction wrote with only what changed, keeping other prices, without echo', async () => {
    const ctx = zmConnection();
    const key = (kind: string, id: string) => `repairshopr:r-up:${kind}:${id}`;
    await zomentum.commands['customer.ensure']!(
      ctx,
      COMMANDS['customer.ensure'].data.parse({ sourceKey: key('customer', '41'), customer: { sourceId: '41', businessName: 'Harbor Cafe', email: 'owner@harbor.example.com' } }),
      {} as never,
    );
    const contactCommand = (email: string) =>
      COMMANDS['contact.ensure'].data.parse({
        sourceKey: key('contact', '7'),
        customerSourceKey: key('customer', '41'),
        contact: { sourceId: '7', customerSourceId: '41', firstName: 'Ola', lastName: 'Berg', email },
        updateExisting: true,
      });
    const productCommand = (price: number) =>
      COMMANDS['product.ensure'].data.parse({
        sourceKey: key('product', '9'),
        product: { sourceId: '9', name: 'Screen repair', category: 'Labor', price, billingPeriod: 'one_time' },
        targetCategory: 'Labor',
        updateExisting: true,
      });
    const contact = await zomentum.commands['contact.ensure']!(ctx, contactCommand('ola@harbor.example.com'), {} as never);
    const item = await zomentum.commands['product.ensure']!(ctx, productCommand(89), {} as never);
    // Someone adds a monthly price in Zomentum; the pull takes it in.
    const [created] = (await zm.control.records<zmSandbox.Item>('items')).filter((row) => row.id === item.externalId);
    await zm.control.update('items', item.externalId, { pricing: [...created.pricing, { ...created.pricing[0], billing_period: 'monthly', sell_price: 9 }] });
    await pull(zomentum, 'contacts', ctx);
    await pull(zomentum, 'products', ctx);

    const since = await lastRequest(zm);
    expect(await zomentum.commands['contact.ensure']!(ctx, contactCommand('ola.berg@harbor.example.com'), {} as never)).toEqual({ ...contact, outcome: 'updated' });
    expect(await zomentum.commands['product.ensure']!(ctx, productCommand(99), {} as never)).toEqual({ ...item, outcome: 'updated' });
    expect(await zomentum.commands['product.ensure']!(ctx, productCommand(99), {} as never)).toMatchObject({ outcome: 'unchanged' });
    expect(await puts(zm, since)).toEqual([`/v2/client/users/${contact.externalId}`, `/v2/items/${item.externalId}`]);

    const [updated] = (await zm.control.records<zmSandbox.Item>('items')).filter((row) => row.id === item.externalId);
    expect(updated.pricing.map((price) => [price.billing_period, price.sell_price])).toEqual([
      ['one_time', 99],
      ['monthly', 9],
    ]);
    const users = await zm.control.records<zmSandbox.ClientUser>('client_users');
    expect(users.find((row) => row.id === contact.externalId)).toMatchObject({ email: 'ola.berg@harbor.example.com', name: { first: 'Ola', last: 'Berg' } });

    expect((await pull(zomentum, 'contacts', ctx)).records).toEqual([]);
    expect((await pull(zomentum, 'products', ctx)).records).toEqual([]);
  });
});
