import type { INestApplication } from '@nestjs/common';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import { SecretBox } from '@junction/secrets';
import { runService } from '@junction/service-kit';
import type { Type } from '@nestjs/common';
import { DATABASE_URL, deleteNamespaceStreams, loadService, NATS_URL, query, randomName, waitFor } from './support';

// Zomentum -> RepairShopr end to end: both sandboxes, the mapping, zomentum and repairshopr services in this process
// on real Postgres and NATS. A quote marked won becomes one RepairShopr estimate per billing period, exactly once.

const CONTROL_API_TOKEN = 'e2e-control-token-0123456789';
const SERVICES = ['mapping', 'zomentum', 'repairshopr'] as const;
const namespace = randomName('t');
const schemas = Object.fromEntries(SERVICES.map((name) => [name, randomName(`e2e_${name}_`)]));

let repairshopr: RunningSandbox;
let zomentum: RunningSandbox;
const apps: INestApplication[] = [];
let controlUrl = '';

async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${CONTROL_API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Rs {
  customers: repairshoprSandbox.Customer[];
  contacts: repairshoprSandbox.Contact[];
  products: repairshoprSandbox.Product[];
  estimates: repairshoprSandbox.Estimate[];
  lineItems: repairshoprSandbox.LineItem[];
}

/** What the acme shop holds (the sandbox also seeds a second shop). */
async function repairshoprState(): Promise<Rs> {
  const acme = async <T extends { account_id: number }>(collection: string) =>
    (await repairshopr.control.records<T>(collection)).filter((record) => record.account_id === 1);
  return {
    customers: await acme('customers'),
    contacts: await acme('contacts'),
    products: await acme('products'),
    estimates: await acme('estimates'),
    lineItems: await acme('line_items'),
  };
}

beforeAll(async () => {
  repairshopr = await startSandbox(repairshoprSandbox.createSandbox());
  zomentum = await startSandbox(zomentumSandbox.createSandbox());
  await repairshopr.control.reset({ customers: 0, productsPerCategory: 0, estimates: 0 });
  await zomentum.control.reset({ documents: 0 });
  const secretKey = SecretBox.generateKey();
  for (const name of SERVICES) {
    const prefix = name.toUpperCase();
    Object.assign(process.env, {
      [`${prefix}_DATABASE_URL`]: DATABASE_URL,
      [`${prefix}_NATS_URL`]: NATS_URL,
      [`${prefix}_DB_SCHEMA`]: schemas[name],
      [`${prefix}_JUNCTION_NAMESPACE`]: namespace,
      [`${prefix}_HTTP_HOST`]: '127.0.0.1',
      [`${prefix}_HTTP_PORT`]: '0',
      [`${prefix}_LOG_LEVEL`]: 'silent',
      [`${prefix}_JUNCTION_SECRET_KEY`]: secretKey,
    });
  }
  process.env.MAPPING_CONTROL_API_TOKEN = CONTROL_API_TOKEN;
  for (const name of SERVICES) {
    const { AppModule } = loadService<{ AppModule: Type }>(name);
    apps.push(await runService(AppModule, { handleSignals: false }));
  }
  controlUrl = `http://127.0.0.1:${apps[0].getHttpServer().address().port}`;
}, 60_000);

afterAll(async () => {
  for (const app of apps.reverse()) await app.close();
  for (const schema of Object.values(schemas)) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await deleteNamespaceStreams(namespace);
  await repairshopr?.close();
  await zomentum?.close();
});

it('turns a won quote with mixed billing periods into one estimate per period, once, however often it syncs', async () => {
  const source = await api<{ id: string }>('POST', '/v1/connections', {
    connector: 'zomentum',
    name: 'Contoso MSP',
    settings: {
      baseUrl: zomentumSandbox.baseUrlFor(zomentum.url, 'v2'),
      refreshUrl: `${zomentumSandbox.baseUrlFor(zomentum.url, 'v1')}/oauth/access-token`,
    },
    credentials: { accessToken: zomentumSandbox.SEEDED.accessToken, refreshToken: zomentumSandbox.SEEDED.refreshToken },
  });
  const target = await api<{ id: string }>('POST', '/v1/connections', {
    connector: 'repairshopr',
    name: 'Acme repairs',
    settings: { subdomain: 'acme', baseUrl: repairshoprSandbox.baseUrlFor(repairshopr.url, 'acme') },
    credentials: { apiToken: repairshoprSandbox.SEEDED.tokens.full },
  });
  const integration = await api<{ id: string }>('POST', '/v1/integrations', {
    kind: 'zomentum-repairshopr',
    name: 'Quotes to estimates',
    sourceConnectionId: source.id,
    targetConnectionId: target.id,
    settings: { direction: 'push_only' },
  });

  // The quote: hardware once, software yearly, a service monthly; the user marks it won.
  const { control } = zomentum;
  const [client] = await control.records<zomentumSandbox.ClientCompany>('client_companies');
  const contacts = (await control.records<zomentumSandbox.ClientUser>('client_users')).filter((c) => c.client_company_id === client.id);
  const items = await control.records<zomentumSandbox.Item>('items');
  const line = (item: zomentumSandbox.Item, period: zomentumSandbox.BillingPeriod, quantity: number) => {
    const price = item.pricing.find((entry) => entry.billing_period === period) ?? item.pricing[0];
    return { id: randomName('line'), item_id: item.id, name: item.name, description: null, quantity, billing_period: price.billing_period, sell_price: price.sell_price, setup_price: 0, cost_price: price.cost_price, discount: 0 };
  };
  const byCategory = (name: string) => items.find((item) => item.category?.name === name)!;
  const lines = [line(byCategory('Hardware'), 'one_time', 2), line(byCategory('Software'), 'annually', 5), line(byCategory('Service'), 'monthly', 1)];
  const periods = new Set(lines.map((entry) => entry.billing_period));
  expect(periods.size).toBe(3);
  const { documents: [quote] } = (await control.seed({
    documents: [{ account_id: client.account_id, name: 'Office refresh', document_number: 'Q-7001', status: 'sent', client_company_id: client.id, client_user_ids: contacts.map((c) => c.id), line_items: lines }],
  })) as unknown as { documents: zomentumSandbox.QuoteDocument[] };
  await control.update('documents', quote.id, { status: 'won' });

  await api('POST', `/v1/integrations/${integration.id}/sync`);
  const state = await waitFor(async () => {
    const current = await repairshoprState();
    return current.estimates.length >= 3 && current.lineItems.length >= 3 ? current : undefined;
  }, 60_000);

  expect(state.customers).toEqual([expect.objectContaining({ business_name: client.name })]);
  expect(state.contacts.map((contact) => contact.email).sort()).toEqual(contacts.map((contact) => contact.email).sort());
  expect(state.contacts.every((contact) => contact.customer_id === state.customers[0].id)).toBe(true);
  expect(state.products.map((product) => [product.name, product.product_category]).sort()).toEqual(
    [
      [byCategory('Hardware').name, 'Hardware'],
      [byCategory('Software').name, 'Default'],
      [byCategory('Service').name, 'Labor'],
    ].sort(),
  );
  expect(state.estimates).toHaveLength(3);
  for (const entry of lines) {
    const product = state.products.find((candidate) => candidate.name === entry.name)!;
    const estimateLines = state.lineItems.filter((item) => item.product_id === product.id);
    expect(estimateLines).toHaveLength(1);
    expect([Number(estimateLines[0].quantity), Number(estimateLines[0].price)]).toEqual([entry.quantity, entry.sell_price]);
    const estimate = state.estimates.find((candidate) => candidate.id === estimateLines[0].estimate_id)!;
    expect(estimate).toMatchObject({ customer_id: state.customers[0].id, name: expect.stringMatching(/^Office refresh \(/) });
  }

  // A second sync reads the same won quote again: nothing new may appear at RepairShopr.
  await api('POST', `/v1/integrations/${integration.id}/sync`);
  await waitFor(async () => {
    const { runs } = await api<{ runs: Array<{ stream: string; state: string }> }>('GET', `/v1/integrations/${integration.id}/runs`);
    const finished = runs.filter((run) => run.stream === 'documents' && run.state !== 'running');
    return finished.length >= 2;
  }, 30_000);
  const after = await repairshoprState();
  expect(after.customers).toHaveLength(1);
  expect(after.contacts).toHaveLength(state.contacts.length);
  expect(after.products).toHaveLength(3);
  expect(after.estimates).toHaveLength(3);
  expect(after.lineItems).toHaveLength(state.lineItems.length);
}, 120_000);
