import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import { shopOrderNumber, shopToCrm, type ShopToCrmOperations } from './shoprenter-minicrm';
import { startStack, type RunSummary, type Stack } from './stack';
import { waitFor } from './support';
import { zomentumToRepairShopr, type ZomentumToRepairShopr } from './zomentum-repairshopr';

// Vendor answers that break their documented schema fail what they touch, visibly, and nothing else: a Shoprenter
// order missing a required field fails alone on its run, a MiniCRM write answered with an HTML page fails that write
// with the vendor's answer on the run, a truncated RepairShopr products page fails the products run with the reason
// while customers and contacts sync. Once the vendors answer properly, a full resync, a dead-letter replay and a
// plain resync complete exactly what failed, and nothing is written twice.

type Vendor = 'shoprenter' | 'minicrm' | 'repairshopr' | 'zomentum';

const ORDERS = 5;
let stack: Stack<Vendor>;
let shop: ShopToCrmOperations;
let msp: ZomentumToRepairShopr;

beforeAll(async () => {
  stack = await startStack({
    services: ['mapping', 'shoprenter', 'minicrm', 'zomentum', 'repairshopr'],
    sandboxes: {
      shoprenter: shoprenterSandbox.createSandbox(),
      minicrm: minicrmSandbox.createSandbox(),
      repairshopr: repairshoprSandbox.createSandbox(),
      zomentum: zomentumSandbox.createSandbox(),
    },
  });
  const { shoprenter, minicrm, repairshopr, zomentum } = stack.sandboxes;
  await shoprenter.control.reset({ orders: ORDERS });
  await minicrm.control.reset();
  await minicrm.control.setRateLimit({ kind: 'off' });
  await repairshopr.control.reset({ customers: 3, contactsPerCustomer: 1, productsPerCategory: 1, estimates: 0 });
  await zomentum.control.reset({ clients: 0, documents: 0 });
  shop = shopToCrm(stack);
  msp = zomentumToRepairShopr(stack);
}, 90_000);

afterAll(() => stack?.close());

const runOf = (runs: RunSummary[], stream: string) => runs.find((run) => run.stream === stream);

it('fails an order Shoprenter lists without its total and a write MiniCRM answers with HTML, each alone, until fixed', async () => {
  const shopId = (await shop.connectShop()).id;
  const crmId = (await shop.connectCrm()).id;
  const { id: integrationId } = await shop.createIntegration(shopId, crmId, { statusMap: await shop.statusMap(shopId, crmId) });
  const orders = (await shop.shopOrders()).sort((a, b) => a.innerId - b.innerId);
  await shop.shoprenter.control.setFaults({
    rules: [{ kind: 'malformed', variant: 'missing-field', pathPrefix: '/acme/orderExtend', field: 'items.1.total', count: 1 }],
  });
  // The first order's buyer is written first: MiniCRM answers that PUT with a 200 HTML page and writes nothing.
  await shop.minicrm.control.setFaults({
    rules: [{ kind: 'malformed', variant: 'html', pathPrefix: '/Api/R3/Contact', methods: ['PUT'], count: 1 }],
  });

  await stack.api('POST', `/v1/integrations/${integrationId}/sync`);
  const pulled = runOf(await stack.finishedRuns(integrationId, ['orders'], 1), 'orders');
  expect(pulled).toMatchObject({ state: 'succeeded', error: null, counts: { created: ORDERS - 1, failed: 1 } });
  expect(pulled?.failedRecords).toEqual([
    {
      entityType: 'order',
      recordKey: String(orders[1].innerId),
      error: expect.stringMatching(/^Shoprenter order does not parse: total: /),
    },
  ]);
  const [failure] = await waitFor(async () => {
    const failures = runOf(await stack.runs(integrationId), 'orders')?.failures ?? [];
    return failures.length > 0 ? failures : undefined;
  }, 60_000, 250);
  expect(failure).toMatchObject({
    connector: 'minicrm',
    entityType: 'order',
    sourceKey: expect.stringMatching(new RegExp(`:order:${orders[0].innerId}$`)),
    error: { code: 'invalid_response', message: expect.stringMatching(/PUT \/Api\/R3\/Contact failed: 200 OK: response is not valid JSON \(text\/html/) },
  });
  const written = async (count: number) =>
    waitFor(async () => {
      const numbers = (await shop.crmState()).orders.map((order) => order.Number);
      return numbers.length >= count ? numbers.sort() : undefined;
    }, 60_000, 250);
  expect(await written(ORDERS - 2)).toEqual(orders.slice(2).map(shopOrderNumber).sort());

  // The vendors answer properly again: a full resync reads the unreadable order, a replay writes the refused one.
  await shop.shoprenter.control.clearFaults();
  await shop.minicrm.control.clearFaults();
  await stack.api('POST', `/v1/integrations/${integrationId}/sync?fullResync=true`);
  const resynced = runOf(await stack.finishedRuns(integrationId, ['orders'], 2), 'orders');
  expect(resynced).toMatchObject({ state: 'succeeded', counts: { created: 1, failed: 0 }, failedRecords: [] });
  const { deadLetters } = await stack.api<{ deadLetters: Array<{ seq: number; msgId?: string }> }>(
    'GET',
    '/v1/dead-letters?subject=cmd.minicrm.order.upsert',
  );
  const refused = deadLetters.find((letter) => letter.msgId === failure.commandId);
  expect(refused).toBeDefined();
  await stack.api('POST', `/v1/dead-letters/${refused?.seq}/replay`);

  expect(await written(ORDERS)).toEqual(orders.map(shopOrderNumber).sort());
  await waitFor(async () => ((await stack.api<{ failures: unknown[] }>('GET', `/v1/integrations/${integrationId}/runs`)).failures.length === 0), 30_000, 250);
  // Nothing was written twice.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect((await shop.crmState()).orders).toHaveLength(ORDERS);
}, 180_000);

it('fails the products run on a truncated RepairShopr page while customers and contacts sync, and resumes it after', async () => {
  const rs = await msp.repairshoprState();
  const integration = await msp.createIntegration({ direction: 'pull_only', productCategories: ['Hardware', 'Labor'] });
  await msp.repairshopr.control.setFaults({
    rules: [{ kind: 'malformed', variant: 'truncated', pathPrefix: '/acme/api/v1/products', methods: ['GET'], count: 1 }],
  });
  const streams = ['customers', 'contacts', 'products'];

  await stack.api('POST', `/v1/integrations/${integration.id}/sync`);
  const first = await stack.finishedRuns(integration.id, streams, 1);
  expect(runOf(first, 'products')).toMatchObject({
    state: 'failed',
    error: { code: 'invalid_response', message: expect.stringMatching(/^repairshopr GET \/products.* failed: 200 OK: response is not valid JSON/) },
  });
  expect([runOf(first, 'customers')?.state, runOf(first, 'contacts')?.state]).toEqual(['succeeded', 'succeeded']);
  const zomentumRecords = async () => ({
    clients: await msp.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies'),
    contacts: await msp.zomentum.control.records<zomentumSandbox.ClientUser>('client_users'),
    items: await msp.zomentum.control.records<zomentumSandbox.Item>('items'),
  });
  const itemsBefore = new Set((await zomentumRecords()).items.map((item) => item.id));
  const synced = await waitFor(async () => {
    const state = await zomentumRecords();
    return state.clients.length >= rs.customers.length && state.contacts.length >= rs.contacts.length ? state : undefined;
  }, 60_000, 250);
  expect(synced.items).toHaveLength(itemsBefore.size);

  await msp.repairshopr.control.clearFaults();
  await stack.api('POST', `/v1/integrations/${integration.id}/sync`);
  expect(runOf(await stack.finishedRuns(integration.id, streams, 2), 'products')).toMatchObject({ state: 'succeeded', error: null });
  const after = await waitFor(async () => {
    const state = await zomentumRecords();
    return state.items.length >= itemsBefore.size + 2 ? state : undefined;
  }, 60_000, 250);
  const newItems = after.items.filter((item) => !itemsBefore.has(item.id));
  expect(newItems.map((item) => item.name).sort()).toEqual(['Bench Labor (1h)', 'SSD 1TB']);
  expect([after.clients.length, after.contacts.length]).toEqual([rs.customers.length, rs.contacts.length]);
}, 180_000);
