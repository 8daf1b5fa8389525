import type * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import { waitFor } from './support';
import { shopOrderNumber, startShopToCrm, type CrmState, type ShopToCrm } from './shoprenter-minicrm';

// Shoprenter -> MiniCRM end to end: 2,000 generated orders arrive once each with their buyer, mapped status and
// coupon; syncing again transfers nothing; a new order and a status change arrive with the next sync; ten "Sync"
// presses start one run and the shop never sees parallel paging; wrong credentials and unmapped statuses are
// reported, and an order in an unmapped status waits until the map covers it.

const ORDERS = 2_000;
let junction: ShopToCrm;
let shopId: string;
let crmId: string;
let integrationId: string;
let statusMap: Record<string, { id: string; name: string }>;

beforeAll(async () => {
  // Each service in its own process, as deployed. The shop's documented 3 requests a second stays on: the connector
  // paces itself to it.
  junction = await startShopToCrm(
    { shoprenter: { orders: ORDERS } },
    { processes: ['mapping', 'shoprenter', 'minicrm'], env: { COMMAND_CONCURRENCY: '4' } },
  );
  crmId = (await junction.connectCrm()).id;
}, 90_000);

afterAll(() => junction?.close());

interface ShopState {
  orders: shoprenterSandbox.Order[];
  statuses: shoprenterSandbox.OrderStatus[];
  coupons: shoprenterSandbox.Coupon[];
}

async function shopState(): Promise<ShopState> {
  const { control } = junction.shoprenter;
  return {
    orders: await junction.shopOrders(),
    statuses: await control.records<shoprenterSandbox.OrderStatus>('orderStatuses'),
    coupons: await control.records<shoprenterSandbox.Coupon>('coupons'),
  };
}

/** A new order of the shop, as a buyer would place it now (ids and times are the sandbox's). */
async function placeOrder(fields: Partial<shoprenterSandbox.Order>): Promise<shoprenterSandbox.Order> {
  const { control } = junction.shoprenter;
  const [template] = await junction.shopOrders();
  const { innerId: _id, dateCreated: _created, dateUpdated: _updated, ...order } = template;
  const { orders: [placed] } = (await control.seed({ orders: [{ ...order, couponId: null, ...fields }] })) as unknown as {
    orders: shoprenterSandbox.Order[];
  };
  await control.seed({
    orderProducts: [{ orderId: placed.innerId, productInnerId: 101, name: 'Kerámia bögre', sku: 'MUG-001', price: 2362, taxRate: 27, quantity: 2 }],
  });
  return placed;
}

async function crmWith(orders: number): Promise<CrmState> {
  // The state is big: poll it once a second.
  return waitFor(async () => {
    const state = await junction.crmState();
    return state.orders.length >= orders ? state : undefined;
  }, 480_000, 1_000);
}

/** Every shop order is in MiniCRM exactly once, with its buyer, the status its status maps to, and its coupon. */
function expectSynced(shop: ShopState, crm: CrmState): void {
  expect(crm.orders).toHaveLength(shop.orders.length);
  const byNumber = new Map(crm.orders.map((order) => [order.Number, order]));
  expect(byNumber.size).toBe(shop.orders.length);
  const statusName = (id: number) => crm.statuses.find((status) => status.Id === id)?.Name;
  const shopStatusName = (innerId: number) => shop.statuses.find((status) => status.innerId === innerId)?.name ?? '';
  for (const order of shop.orders) {
    const written = byNumber.get(shopOrderNumber(order));
    expect(written).toBeDefined();
    if (!written) continue;
    expect(crm.contacts.find((contact) => contact.Id === written.CustomerId)?.Email).toBe(order.email);
    const card = crm.projects.find((project) => project.Id === written.ProjectId);
    expect(statusName(card?.StatusId ?? -1)).toBe(mappedStatusName(shopStatusName(order.orderStatusId)));
    const coupon = shop.coupons.find((candidate) => candidate.innerId === order.couponId);
    if (coupon) {
      expect(written.Items.some((item) => item.Name.includes(coupon.code) && item.PriceNet < 0)).toBe(true);
      expect(card?.['Text1301']).toContain(coupon.code);
    } else {
      expect(written.Items.every((item) => item.PriceNet >= 0)).toBe(true);
    }
  }
  // One contact per buyer: returning buyers' orders share theirs.
  const buyers = new Set(shop.orders.map((order) => order.email.toLowerCase()));
  const buyerContacts = crm.contacts.filter((contact) => buyers.has(contact.Email.toLowerCase()));
  expect(buyerContacts).toHaveLength(buyers.size);
}

/** The pairing statusMap() makes, by the statuses' names. */
function mappedStatusName(shopStatusName: string): string {
  const shop = ['Függőben lévő', 'Feldolgozás alatt', 'Szállítás alatt', 'Teljesítve', 'Törölve'];
  const crm = ['Új megrendelés', 'Feldolgozás alatt', 'Kiszállítva', 'Teljesítve', 'Sztornózva'];
  return crm[shop.indexOf(shopStatusName)];
}

/** No two order-list requests of the shop overlapped in time. */
async function expectNoParallelPaging(): Promise<void> {
  const pages = (await junction.shoprenter.control.requests())
    .filter((request) => /\/(orderExtend|orders)$/.test(request.path))
    .map((request) => ({ start: Date.parse(request.at), end: Date.parse(request.at) + request.durationMs }))
    .sort((a, b) => a.start - b.start);
  for (let index = 1; index < pages.length; index++) expect(pages[index].start).toBeGreaterThanOrEqual(pages[index - 1].end);
}

it('answers wrong credentials with the reason, and does not run an integration with them', async () => {
  const wrong = await junction.connectShop('not-the-password');
  const tested = await junction.testConnection('shoprenter', wrong.id);
  expect(tested).toEqual({ ok: false, message: expect.stringMatching(/^Kapcsolódás sikertelen: .+/) });
  const refused = await junction.call<{ issues: Array<{ message: string }> }>('POST', '/v1/integrations', {
    kind: 'shoprenter-minicrm',
    name: 'Wrong password',
    sourceConnectionId: wrong.id,
    targetConnectionId: crmId,
    settings: {},
  });
  expect(refused.status).toBe(400);
  expect(refused.body.issues[0].message).toMatch(/^the shoprenter connection test failed: Kapcsolódás sikertelen/);
  expect(await junction.api<{ integrations: unknown[] }>('GET', '/v1/integrations')).toEqual({ integrations: [] });
  // One connection per shop: the wrong one goes before the right one is made.
  await junction.api('DELETE', `/v1/connections/shoprenter/${wrong.id}`);
});

it('syncs 2,000 orders once each with buyer, mapped status and coupons; a second sync transfers nothing', async () => {
  shopId = (await junction.connectShop()).id;
  const tested = await junction.testConnection('shoprenter', shopId);
  expect(tested).toMatchObject({ ok: true, message: expect.stringMatching(/^Sikeres kapcsolódás!/) });
  expect(tested.orderStatuses?.map((status) => status.name)).toEqual(['Függőben lévő', 'Feldolgozás alatt', 'Szállítás alatt', 'Teljesítve', 'Törölve']);
  statusMap = await junction.statusMap(shopId, crmId);
  integrationId = (await junction.createIntegration(shopId, crmId, { statusMap })).id;

  // Ten presses of "Sync" within a second start one run.
  const presses = await Promise.all(Array.from({ length: 10 }, () => junction.api('POST', `/v1/integrations/${integrationId}/sync`)));
  expect(presses).toHaveLength(10);
  const [run] = await junction.finishedRuns(integrationId, ['orders'], 1, 480_000);
  expect(await junction.runs(integrationId)).toHaveLength(1);
  expect(run).toMatchObject({ state: 'succeeded', progress: { done: ORDERS, total: ORDERS }, counts: { created: ORDERS, failed: 0 } });

  const shop = await shopState();
  expect(shop.orders).toHaveLength(ORDERS);
  expectSynced(shop, await crmWith(ORDERS));
  await expectNoParallelPaging();

  // Nothing changed in the shop: the next sync reads what is new since the last one, and that is nothing.
  const requestsBefore = (await junction.minicrm.control.requests()).length;
  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  const [second] = await junction.finishedRuns(integrationId, ['orders'], 2);
  expect(second.counts).toEqual({ created: 0, updated: 0, skipped: 0, failed: 0 });
  expect((await junction.minicrm.control.requests()).length).toBe(requestsBefore);
}, 900_000);

it('brings a new order and a status change made in the shop with the next sync', async () => {
  const shop = await shopState();
  const changed = shop.orders.find((order) => order.orderStatusId === 1)!;
  await junction.shoprenter.control.update('orders', changed.innerId, { orderStatusId: 4 });
  await placeOrder({ invoiceId: String(ORDERS + 1), email: 'uj.vasarlo@example.hu', orderStatusId: 2 });

  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  await junction.finishedRuns(integrationId, ['orders'], 3);
  const crm = await waitFor(async () => {
    const state = await junction.crmState();
    const card = state.projects.find((project) => project.Id === state.orders.find((order) => order.Number === shopOrderNumber(changed))?.ProjectId);
    const statusOfCard = state.statuses.find((status) => status.Id === card?.StatusId)?.Name;
    return state.orders.length === ORDERS + 1 && statusOfCard === 'Teljesítve' ? state : undefined;
  }, 60_000, 1_000);
  expectSynced(await shopState(), crm);
  await expectNoParallelPaging();
}, 120_000);

it('makes an order in a status the map lacks wait on its run, and syncs it once the map covers the status', async () => {
  const { control } = junction.shoprenter;
  const { orderStatuses: [returned] } = (await control.seed({
    orderStatuses: [{ shopId: 1, name: 'Visszaküldve', color: '#000000' }],
  })) as unknown as { orderStatuses: shoprenterSandbox.OrderStatus[] };
  const waiting = await placeOrder({ invoiceId: String(ORDERS + 2), orderStatusId: returned.innerId });

  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  const runs = await waitFor(async () => {
    const current = await junction.runs(integrationId);
    return current[0]?.state === 'succeeded' && current[0].waiting.length > 0 ? current : undefined;
  }, 60_000);
  expect(runs[0].waiting).toEqual([
    expect.objectContaining({
      subject: 'order.created',
      reason: expect.stringContaining(`order ${shopOrderNumber(waiting)} waits: Shoprenter status 'Visszaküldve'`),
    }),
  ]);
  expect((await junction.crmState()).orders.some((order) => order.Number === shopOrderNumber(waiting))).toBe(false);

  // The user maps the new status (testing the connection again shows it) and saves: the order goes on.
  const withReturned = await junction.statusMap(shopId, crmId);
  const returnedId = Object.keys(withReturned).find((id) => !(id in statusMap))!;
  const sztornozva = Object.values(statusMap).find((status) => status.name === 'Sztornózva')!;
  statusMap = { ...statusMap, [returnedId]: sztornozva };
  const integration = await junction.api<{ kind: string; name: string; sourceConnectionId: string; targetConnectionId: string }>(
    'GET',
    `/v1/integrations/${integrationId}`,
  );
  const { kind, name, sourceConnectionId, targetConnectionId } = integration;
  await junction.api('PUT', `/v1/integrations/${integrationId}`, { kind, name, sourceConnectionId, targetConnectionId, settings: { statusMap } });
  const crm = await waitFor(async () => {
    const state = await junction.crmState();
    return state.orders.some((order) => order.Number === shopOrderNumber(waiting)) ? state : undefined;
  }, 60_000, 1_000);
  expect(crm.orders.filter((order) => order.Number === shopOrderNumber(waiting))).toHaveLength(1);
  expect((await junction.runs(integrationId))[0].waiting).toEqual([]);
}, 120_000);
