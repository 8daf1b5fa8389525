import type { ConnectorDefinition, StreamPage } from '@junction/connector-runtime';
import { COMMANDS } from '@junction/contracts';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED, type Contact, type Customer, type Estimate, type LineItem, type Product } from '@junction/sandbox-repairshopr';
import type { DataSource } from 'typeorm';
import { connectorContext, loadService, openKitSchema } from './support';

// The RepairShopr connector's vendor side, against the sandbox: test connection, resumable pulls, idempotent writes.

interface Settings {
  subdomain: string;
  baseUrl?: string;
}
interface Credentials {
  apiToken: string;
}
type PageCursor = { page: number; lastId: number };

const { repairshopr } = loadService<{ repairshopr: ConnectorDefinition<Settings, Credentials> }>('repairshopr');

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };

function context(apiToken: string = SEEDED.tokens.full, subdomain: string = SEEDED.subdomain, id = 'rs-connection-1') {
  const settings = { subdomain, baseUrl: baseUrlFor(sandbox.url, subdomain) };
  return connectorContext<Settings, Credentials>(kit.dataSource, { id, name: 'Acme', settings }, { apiToken });
}

const commandContext = () => context();

async function readAll(stream: string, cursor?: PageCursor, stopAfterPages = Infinity) {
  const pages: Array<StreamPage<PageCursor>> = [];
  for await (const page of repairshopr.streams[stream].read(context(), cursor) as AsyncIterable<StreamPage<PageCursor>>) {
    pages.push(page);
    if (pages.length >= stopAfterPages) break;
  }
  const records = pages.flatMap((page) => page.records);
  return { records, keys: records.map((record) => record.key), cursor: pages.at(-1)?.cursor };
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
  it('names the shop and user on success', async () => {
    const result = await repairshopr.testConnection(context());
    expect(result).toEqual({ ok: true, message: expect.stringMatching(/shop "acme" as .+ \(owner@acme\.example\.com\)/) });
  });

  it('tells a wrong subdomain from a wrong token from a missing permission', async () => {
    expect(await repairshopr.testConnection(context(SEEDED.tokens.full, 'nosuchshop'))).toEqual({
      ok: false,
      message: expect.stringContaining('No RepairShopr shop at subdomain "nosuchshop"'),
    });
    expect(await repairshopr.testConnection(context(SEEDED.tokens.expired))).toEqual({
      ok: false,
      message: expect.stringContaining('rejected the API token'),
    });
    const noEstimates = await repairshopr.testConnection(context(SEEDED.tokens.noEstimates));
    expect(noEstimates).toEqual({ ok: false, message: expect.stringMatching(/lacks the permission Estimates - View Details$/) });
  });
});

describe('pull streams', () => {
  it('resumes a customers pull from its cursor after a crash, through a 429, without repeating a record', async () => {
    await sandbox.control.reset({ customers: 25, pageSizes: { customers: 10 } });
    const firstRun = await readAll('customers', undefined, 2);
    expect(firstRun.keys).toHaveLength(20);

    await sandbox.control.seed({ customers: [{ account_id: 1, firstname: 'Late', lastname: 'Comer' }] });
    await sandbox.control.setFaults({ rules: [{ kind: 'rate-limit', pathPrefix: '/acme/api/v1/customers', count: 1, retryAfterSeconds: 1 }] });
    const resumed = await readAll('customers', firstRun.cursor);

    const all = [...firstRun.keys, ...resumed.keys];
    const customers = await sandbox.control.records<Customer>('customers');
    const acmeIds = customers.filter((customer) => customer.account_id === 1).map((customer) => String(customer.id));
    expect(all.sort()).toEqual(acmeIds.sort());
    expect(new Set(all).size).toBe(all.length);
    expect(resumed.cursor).toEqual({ page: 3, lastId: Math.max(...acmeIds.map(Number)) });
    expect((await sandbox.control.requests()).some((request) => request.status === 429)).toBe(true);
  });

  it('rides out a vendor 5xx on a page', async () => {
    await sandbox.control.setFaults({ rules: [{ kind: 'error', status: 503, pathPrefix: '/acme/api/v1/products', count: 1 }] });
    const products = await readAll('products');
    const acmeProducts = (await sandbox.control.records<Product>('products')).filter((product) => product.account_id === 1);
    expect(products.keys.sort()).toEqual(acmeProducts.map((product) => String(product.id)).sort());
    expect((await sandbox.control.requests()).some((request) => request.status === 503)).toBe(true);
  });

  it('pulls contacts with their customer and products with their category', async () => {
    const contacts = await readAll('contacts');
    const acmeContacts = (await sandbox.control.records<Contact>('contacts')).filter((contact) => contact.account_id === 1);
    expect(contacts.keys.sort()).toEqual(acmeContacts.map((contact) => String(contact.id)).sort());
    expect(contacts.records[0].data).toMatchObject({ customerSourceId: String(acmeContacts.find((c) => String(c.id) === contacts.records[0].key)?.customer_id) });

    const products = await readAll('products');
    const cable = (await sandbox.control.records<Product>('products')).find((product) => product.category_path === 'Hardware > Cables');
    expect(products.records.find((record) => record.key === String(cable?.id))?.data).toMatchObject({
      name: cable?.name,
      category: 'Cables',
      price: cable?.price_retail,
      billingPeriod: 'one_time',
    });
  });
});

describe('commands', () => {
  const sourceKey = (kind: string, id: string) => `zomentum:z1:${kind}:${id}`;

  it('creates a customer once even when the response to its create was lost', async () => {
    const data = COMMANDS['customer.ensure'].data.parse({
      sourceKey: sourceKey('customer', 'c1'),
      customer: { sourceId: 'c1', businessName: 'Lost Response LLC', email: 'ops@lost-response.example.com' },
    });
    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/acme/api/v1/customers', count: 1 }] });

    await expect(repairshopr.commands['customer.ensure']!(commandContext(), data, {} as never)).rejects.toThrow();
    const retried = await repairshopr.commands['customer.ensure']!(commandContext(), data, {} as never);
    const again = await repairshopr.commands['customer.ensure']!(commandContext(), data, {} as never);

    const matching = (await sandbox.control.records<Customer>('customers')).filter((c) => c.email === 'ops@lost-response.example.com');
    expect(matching).toHaveLength(1);
    expect(retried).toEqual({ entityType: 'customer', externalId: String(matching[0].id), outcome: 'found_existing' });
    expect(again.outcome).toBe('unchanged');
    // One search per attempt: the e-mail decides, the business name is not searched as well.
    const calls = (await sandbox.control.requests()).map((request) => `${request.method} ${request.path}`);
    expect(calls).toEqual(['GET /acme/api/v1/customers', 'POST /acme/api/v1/customers', 'GET /acme/api/v1/customers']);
  });

  it('names the missing permission when the token may not create estimates', async () => {
    const ctx = context(SEEDED.tokens.noEstimates, SEEDED.subdomain, 'rs-no-estimates');
    await ctx.idMap.record({ entityType: 'customer', sourceKey: 'zomentum:z1:customer:c9', externalId: '1' });
    const estimate = COMMANDS['estimate.create'].data.parse({
      sourceKey: 'zomentum:z1:deal:d9',
      customerSourceKey: 'zomentum:z1:customer:c9',
      contactSourceKeys: [],
      deal: { sourceId: 'd9', title: 'Denied', currency: 'USD', wonAt: '2026-11-20T10:00:00Z' },
      lineItems: [{ name: 'Labor', quantity: 1, unitPrice: 50, billingPeriod: 'one_time' }],
    });
    await expect(repairshopr.commands['estimate.create']!(ctx, estimate, {} as never)).rejects.toThrow(
      /update your group permissions/,
    );
  });

  it('writes contact, product and one estimate per billing period, each exactly once', async () => {
    const ctx = commandContext();
    await repairshopr.commands['customer.ensure']!(ctx, COMMANDS['customer.ensure'].data.parse({
      sourceKey: sourceKey('customer', 'c2'),
      customer: { sourceId: 'c2', businessName: 'Estimate Co' },
    }), {} as never);
    const contact = await repairshopr.commands['contact.ensure']!(ctx, COMMANDS['contact.ensure'].data.parse({
      sourceKey: sourceKey('contact', 'p1'),
      customerSourceKey: sourceKey('customer', 'c2'),
      contact: { sourceId: 'p1', customerSourceId: 'c2', firstName: 'Pat', lastName: 'Lee', email: 'pat@estimate.example.com' },
    }), {} as never);
    const product = await repairshopr.commands['product.ensure']!(ctx, COMMANDS['product.ensure'].data.parse({
      sourceKey: sourceKey('product', 'backup'),
      product: { sourceId: 'backup', name: 'Managed Backup', category: 'Service', price: 13, billingPeriod: 'monthly' },
      targetCategory: 'Labor',
    }), {} as never);
    expect([contact.outcome, product.outcome]).toEqual(['created', 'created']);

    const estimate = COMMANDS['estimate.create'].data.parse({
      sourceKey: `${sourceKey('deal', 'd1')}:monthly`,
      customerSourceKey: sourceKey('customer', 'c2'),
      contactSourceKeys: [sourceKey('contact', 'p1')],
      billingPeriod: 'monthly',
      deal: { sourceId: 'd1', number: 'Q-1001', title: 'Backup rollout', currency: 'USD', wonAt: '2026-11-20T10:00:00Z' },
      lineItems: [{ productSourceKey: sourceKey('product', 'backup'), name: 'Managed Backup', quantity: 3, unitPrice: 13, billingPeriod: 'monthly' }],
    });
    // A line's product not mapped yet: the command waits for it, naming it, and writes nothing.
    const unmappedProduct = { ...estimate, lineItems: [...estimate.lineItems, { ...estimate.lineItems[0], productSourceKey: sourceKey('product', 'later') }] };
    await expect(repairshopr.commands['estimate.create']!(ctx, unmappedProduct, {} as never)).rejects.toMatchObject({
      name: 'MissingDependencyError',
      message: 'product zomentum:z1:product:later is not in RepairShopr yet',
      awaited: { entityType: 'product', sourceKey: sourceKey('product', 'later') },
    });
    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/acme/api/v1/estimates', count: 1 }] });
    await expect(repairshopr.commands['estimate.create']!(ctx, estimate, {} as never)).rejects.toThrow();
    expect((await repairshopr.commands['estimate.create']!(ctx, estimate, {} as never)).outcome).toBe('found_existing');

    const estimates = (await sandbox.control.records<Estimate>('estimates')).filter((row) => row.name?.startsWith('Backup rollout'));
    expect(estimates).toHaveLength(1);
    expect(estimates[0]).toMatchObject({ name: 'Backup rollout (Monthly)', contact_id: Number(contact.externalId) });
    const lines = (await sandbox.control.records<LineItem>('line_items')).filter((line) => line.estimate_id === estimates[0].id);
    expect(lines).toEqual([expect.objectContaining({ item: 'Managed Backup', quantity: '3.0', price: '13.0', product_id: Number(product.externalId) })]);
    const [created] = (await sandbox.control.records<{ id: number; product_category: string }>('products')).filter((row) => row.id === Number(product.externalId));
    expect(created.product_category).toBe('Labor');
  });
});
