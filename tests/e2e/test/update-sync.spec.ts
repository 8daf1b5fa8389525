import { randomUUID } from 'node:crypto';
import { messageId } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import type * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import type { RunningSandbox } from '@junction/sandbox-kit';
import { NATS_URL, waitFor } from './support';
import { seedWonQuote, startJunction, type IntegrationView, type Junction } from './zomentum-repairshopr';

// "Also sync updates" end to end, in a two-way integration: off (the default), a price change in Zomentum and a
// contact change in RepairShopr reach nowhere; on, each reaches the other system once, and syncing on in both
// directions writes nothing more: Junction's own updates are not pulled back as changes.

const STREAMS = {
  repairshopr: ['customers', 'contacts', 'products'],
  zomentum: ['documents', 'clients', 'contacts', 'products'],
} as const;
type Connector = keyof typeof STREAMS;

let junction: Junction;
let bus: Bus;
let integration: IntegrationView;

beforeAll(async () => {
  junction = await startJunction({
    repairshopr: { customers: 2, contactsPerCustomer: 1, productsPerCategory: 0, estimates: 0 },
    zomentum: { clients: 1, documents: 0 },
  });
  bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-update-sync', namespace: junction.namespace });
}, 60_000);

afterAll(async () => {
  await bus?.close();
  await junction?.close();
});

/** Starts one stream's sync and waits for it to finish: asking stream by stream keeps the order of the story. */
async function sync(connector: Connector, stream: string): Promise<{ counts: { created: number; updated: number } }> {
  const connectionId = connector === 'zomentum' ? integration.sourceConnectionId : integration.targetConnectionId;
  const finished = async () =>
    (await junction.runs(integration.id)).filter((run) => run.connector === connector && run.stream === stream && run.state !== 'running');
  const before = (await finished()).length;
  const requestId = randomUUID();
  const requestedAt = new Date().toISOString();
  await bus.publish('sync.requested', {
    id: messageId('sync', requestId),
    type: 'sync.requested',
    version: 1,
    source: { connector: 'e2e', connectionId },
    occurredAt: requestedAt,
    data: { requestId, connector, connectionId, stream, integrationId: integration.id, reason: 'manual', requestedAt },
  });
  const run = await waitFor(async () => {
    const runs = await finished();
    return runs.length > before ? runs[0] : undefined;
  }, 60_000);
  expect(run.state).toBe('succeeded');
  return run;
}

async function syncEverything(): Promise<Array<{ counts: { created: number; updated: number } }>> {
  const runs = [];
  for (const connector of ['repairshopr', 'zomentum'] as const) {
    for (const stream of STREAMS[connector]) runs.push(await sync(connector, stream));
  }
  return runs;
}

/** PUT requests (updates) a sandbox answered since the test began. */
async function updatesIn(sandbox: RunningSandbox): Promise<string[]> {
  return (await sandbox.control.requests()).filter((request) => request.method === 'PUT').map((request) => request.path);
}

async function recordCounts() {
  const rs = await junction.repairshoprState();
  const { control } = junction.zomentum;
  return {
    repairshopr: [rs.customers.length, rs.contacts.length, rs.products.length, rs.estimates.length],
    zomentum: [
      (await control.records('client_companies')).length,
      (await control.records('client_users')).length,
      (await control.records('items')).length,
    ],
  };
}

/** Long enough for an event published by a finished run to be routed and its command executed. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));

it('syncs a Zomentum price change and a RepairShopr contact change only with update sync on, once, without ping-pong', async () => {
  integration = await junction.createIntegration({ direction: 'two_way' });
  // A contact created in RepairShopr, which the pull brings into Zomentum.
  const [rsContact] = (await junction.repairshoprState()).contacts;
  expect(rsContact.email).toBeTruthy();

  // Push a won quote (client, contacts, products, estimates), then pull RepairShopr's records into Zomentum.
  const { byCategory } = await seedWonQuote(junction.zomentum, 'Update sync rollout');
  const laptop = byCategory('Hardware');
  await sync('zomentum', 'documents');
  const pushed = await waitFor(async () => {
    const state = await junction.repairshoprState();
    return state.estimates.length >= 3 ? state : undefined;
  }, 60_000);
  const rsLaptop = pushed.products.find((product) => product.name === laptop.name)!;
  expect(rsLaptop.price_retail).toBe(laptop.pricing[0].sell_price);
  for (const stream of STREAMS.repairshopr) await sync('repairshopr', stream);
  const zmContactOf = async (email: string | null) =>
    (await junction.zomentum.control.records<zomentumSandbox.ClientUser>('client_users')).find((contact) => contact.email === email);
  const zmContact = await waitFor(() => zmContactOf(rsContact.email), 30_000);
  // Both sides have been read once: from here on, what changes is an update.
  for (const stream of STREAMS.zomentum) await sync('zomentum', stream);
  await settle();
  const counts = await recordCounts();
  expect(await updatesIn(junction.repairshopr)).toEqual([]);
  expect(await updatesIn(junction.zomentum)).toEqual([]);

  const changeLaptopPrice = (sellPrice: number) =>
    junction.zomentum.control.update('items', laptop.id, { pricing: [{ ...laptop.pricing[0], sell_price: sellPrice }] });
  const changeContact = (phone: string, email: string) =>
    junction.repairshopr.control.update<repairshoprSandbox.Contact>('contacts', rsContact.id, { phone, email });

  // Off (the default): the streams notice the changes, the integration sends them nowhere.
  await changeLaptopPrice(1299);
  await changeContact('+1 555 0101', 'first.change@example.com');
  expect((await sync('zomentum', 'products')).counts).toMatchObject({ created: 0, updated: 1 });
  expect((await sync('repairshopr', 'contacts')).counts).toMatchObject({ created: 0, updated: 1 });
  await settle();
  expect((await junction.repairshoprState()).products.find((product) => product.id === rsLaptop.id)?.price_retail).toBe(laptop.pricing[0].sell_price);
  expect(await zmContactOf(rsContact.email)).toMatchObject({ id: zmContact.id });
  expect(await updatesIn(junction.repairshopr)).toEqual([]);
  expect(await updatesIn(junction.zomentum)).toEqual([]);

  // On: the next changes reach the other system.
  const { id, kind, name, sourceConnectionId, targetConnectionId } = integration;
  await junction.api('PUT', `/v1/integrations/${id}`, { kind, name, sourceConnectionId, targetConnectionId, settings: { direction: 'two_way', updateSync: true } });
  await changeLaptopPrice(1349);
  await changeContact('+1 555 0202', 'second.change@example.com');
  await sync('zomentum', 'products');
  await sync('repairshopr', 'contacts');
  await waitFor(async () => (await junction.repairshoprState()).products.find((product) => product.id === rsLaptop.id)?.price_retail === 1349, 30_000);
  const updatedContact = await waitFor(() => zmContactOf('second.change@example.com'), 30_000);
  expect(updatedContact).toMatchObject({ id: zmContact.id, phone: '+1 555 0202', name: zmContact.name });

  // Each once; then syncing everything, twice, in both directions finds nothing to send and writes nothing.
  const expectedUpdates = {
    repairshopr: [`/acme/api/v1/products/${rsLaptop.id}`],
    zomentum: [`/v2/client/users/${zmContact.id}`],
  };
  await settle();
  expect(await updatesIn(junction.repairshopr)).toEqual(expectedUpdates.repairshopr);
  expect(await updatesIn(junction.zomentum)).toEqual(expectedUpdates.zomentum);
  for (let round = 0; round < 2; round++) {
    const runs = await syncEverything();
    expect(runs.map((run) => run.counts.updated)).toEqual(runs.map(() => 0));
    await settle();
  }
  expect(await updatesIn(junction.repairshopr)).toEqual(expectedUpdates.repairshopr);
  expect(await updatesIn(junction.zomentum)).toEqual(expectedUpdates.zomentum);
  expect(await recordCounts()).toEqual(counts);
  const { failures } = await junction.api<{ failures: unknown[] }>('GET', `/v1/integrations/${integration.id}/runs`);
  expect(failures).toEqual([]);
}, 240_000);
