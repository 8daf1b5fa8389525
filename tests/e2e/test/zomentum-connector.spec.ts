import { ConnectorRuntime, type ConnectorDefinition, type StreamPage } from '@junction/connector-runtime';
import { COMMANDS, ConnectionView, ControlReply, ConnectionTestResult, controlSubject, EVENTS, type ConnectionOperation } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import { baseUrlFor, createSandbox, SEEDED, type ClientCompany, type ClientUser, type Item, type QuoteDocument } from '@junction/sandbox-zomentum';
import { SecretBox } from '@junction/secrets';
import { createLogger } from '@junction/telemetry';
import type { DataSource } from 'typeorm';
import { connectorContext, deleteNamespaceStreams, loadService, NATS_URL, openKitSchema, randomName } from './support';

// The Zomentum connector against its sandbox: token refresh across replicas, the won-documents pull, idempotent writes.

interface Settings {
  baseUrl: string;
  refreshUrl: string;
  requestsPerMinute: number;
}
interface Credentials {
  accessToken: string;
  refreshToken: string;
}
type ChangeCursor = { since?: string; page: number; latest?: string };

const { zomentum } = loadService<{ zomentum: ConnectorDefinition<Settings, Credentials> }>('zomentum');
const logger = createLogger({ service: 'e2e', level: 'silent' });
const namespace = randomName('t');
const DAY_MS = 24 * 60 * 60 * 1000;

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };
let bus: Bus;
const replicas: Array<ConnectorRuntime<Settings, Credentials>> = [];

/** As the runtime hands them over: parsed, with the defaults filled in. */
function settings(): Settings {
  return zomentum.settingsSchema.parse({
    baseUrl: baseUrlFor(sandbox.url, 'v2'),
    refreshUrl: `${baseUrlFor(sandbox.url, 'v1')}/oauth/access-token`,
  });
}

function control(op: ConnectionOperation, body: unknown): Promise<unknown> {
  return bus.request(controlSubject('zomentum', op), body, (raw) => raw, { timeoutMs: 15_000 });
}

async function refreshes(): Promise<number> {
  const [credential] = await sandbox.control.records<{ refresh_token: string; generation: number }>('api_credentials');
  return credential.generation - 1;
}

beforeAll(async () => {
  sandbox = await startSandbox(createSandbox());
  kit = await openKitSchema();
  bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-zomentum', namespace, logger });
  await bus.ensureStreams();
  const cipher = new SecretBox(SecretBox.generateKey());
  // Two replicas of the connector over one database: what a scaled-out deployment runs.
  for (let replica = 0; replica < 2; replica++) {
    const runtime = new ConnectorRuntime(zomentum, { dataSource: kit.dataSource, bus, logger, cipher });
    await runtime.start();
    replicas.push(runtime);
  }
});

afterAll(async () => {
  for (const runtime of replicas) await runtime.stop();
  await bus?.close();
  await deleteNamespaceStreams(namespace);
  await kit?.drop();
  await sandbox?.close();
});

describe('an expired access token', () => {
  it('is refreshed exactly once when several callers hit the 401 at the same time', async () => {
    const created = ControlReply(ConnectionView).parse(
      await control('upsert', {
        name: 'Contoso MSP',
        settings: settings(),
        credentials: { accessToken: SEEDED.accessToken, refreshToken: SEEDED.refreshToken },
      }),
    );
    if (!created.ok) throw new Error(created.error.message);
    await sandbox.control.advanceClock(DAY_MS + 60_000);

    const tests = await Promise.all(
      [1, 2, 3].map(async () => ControlReply(ConnectionTestResult).parse(await control('test', { connectionId: created.data.id }))),
    );
    expect(tests).toEqual(Array(3).fill({ ok: true, data: { ok: true, message: expect.stringContaining('Connected to Zomentum') } }));
    expect(await refreshes()).toBe(1);

    // The renewed token was stored: later calls use it without refreshing again.
    const again = ControlReply(ConnectionTestResult).parse(await control('test', { connectionId: created.data.id }));
    expect(again).toMatchObject({ ok: true, data: { ok: true } });
    expect(await refreshes()).toBe(1);
  });

  it('reports a refused account precisely', async () => {
    await sandbox.control.reset();
    const ctx = connectorContext(kit.dataSource, { id: 'z-starter', name: 'Fabrikam', settings: settings() }, SEEDED.starterPlan);
    expect(await zomentum.testConnection(ctx)).toEqual({ ok: false, message: expect.stringContaining('Growth plan') });
  });
});

describe('the documents stream', () => {
  it('turns documents marked won into deal.won events once, resuming from its cursor', async () => {
    await sandbox.control.reset();
    const credentials: Credentials = { accessToken: SEEDED.accessToken, refreshToken: SEEDED.refreshToken };
    const ctx = connectorContext(kit.dataSource, { id: 'z-docs', name: 'Contoso', settings: settings() }, credentials);
    const read = async (cursor?: ChangeCursor) => {
      const pages: Array<StreamPage<ChangeCursor>> = [];
      for await (const page of zomentum.streams.documents.read(ctx, cursor) as AsyncIterable<StreamPage<ChangeCursor>>) pages.push(page);
      return { records: pages.flatMap((page) => page.records), cursor: pages.at(-1)?.cursor };
    };

    const first = await read();
    const documents = await sandbox.control.records<QuoteDocument>('documents');
    const won = documents.filter((document) => document.status === 'won');
    expect(first.records.map((record) => record.key).sort()).toEqual(won.map((document) => document.id).sort());
    for (const record of first.records) expect(() => EVENTS['deal.won'].data.parse(record.data)).not.toThrow();

    const sent = documents.find((document) => document.status === 'sent')!;
    await sandbox.control.update('documents', sent.id, { status: 'won' });
    const second = await read(first.cursor);
    // The boundary is inclusive: what was already read may come again (same event id), and the new win comes once.
    expect(second.records.filter((record) => record.key === sent.id)).toHaveLength(1);
    expect(second.records.every((record) => record.changeKey === 'won')).toBe(true);
  });
});

describe('commands', () => {
  it('create a client, its contact and an item with its category once, even after a lost response', async () => {
    await sandbox.control.reset();
    const credentials: Credentials = { accessToken: SEEDED.accessToken, refreshToken: SEEDED.refreshToken };
    const ctx = connectorContext(kit.dataSource, { id: 'z-commands', name: 'Contoso', settings: settings() }, credentials);
    const key = (kind: string, id: string) => `repairshopr:r1:${kind}:${id}`;
    const customer = COMMANDS['customer.ensure'].data.parse({
      sourceKey: key('customer', '41'),
      customer: { sourceId: '41', businessName: 'Harbor Cafe', email: 'owner@harbor.example.com' },
    });
    await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/v2/client/companies', count: 1 }] });
    await expect(zomentum.commands['customer.ensure']!(ctx, customer, {} as never)).rejects.toThrow();
    expect(await zomentum.commands['customer.ensure']!(ctx, customer, {} as never)).toMatchObject({ outcome: 'found_existing' });

    const contact = await zomentum.commands['contact.ensure']!(ctx, COMMANDS['contact.ensure'].data.parse({
      sourceKey: key('contact', '7'),
      customerSourceKey: key('customer', '41'),
      contact: { sourceId: '7', customerSourceId: '41', firstName: 'Ola', lastName: 'Berg', email: 'ola@harbor.example.com' },
    }), {} as never);
    const product = COMMANDS['product.ensure'].data.parse({
      sourceKey: key('product', '9'),
      product: { sourceId: '9', name: 'Screen repair', category: 'Labor', price: 89, billingPeriod: 'one_time' },
      targetCategory: 'Repairs',
    });
    const item = await zomentum.commands['product.ensure']!(ctx, product, {} as never);
    expect(await zomentum.commands['product.ensure']!(ctx, product, {} as never)).toMatchObject({ outcome: 'unchanged' });

    const clients = (await sandbox.control.records<ClientCompany>('client_companies')).filter((row) => row.name === 'Harbor Cafe');
    expect(clients).toHaveLength(1);
    const users = await sandbox.control.records<ClientUser>('client_users');
    expect(users.find((row) => row.id === contact.externalId)).toMatchObject({ client_company_id: clients[0].id, name: { first: 'Ola', last: 'Berg' } });
    const items = (await sandbox.control.records<Item>('items')).filter((row) => row.name === 'Screen repair');
    expect(items).toEqual([expect.objectContaining({ id: item.externalId, type: 'product', category: expect.objectContaining({ name: 'Repairs' }) })]);
    expect(items[0].pricing).toEqual([expect.objectContaining({ billing_period: 'one_time', sell_price: 89 })]);
  });
});
