import { waitFor } from './support';
import { statusMap, startZzapToCrm, STATUS_PAIRS, type ZzapToCrm } from './zzap-retailcrm';

// ZZap <-> RetailCRM end to end. ZZap orders land in the chosen RetailCRM store once each, items matched by article
// (a part that matches nothing stays as a free-text item); statuses flow under the three flags without ever bouncing
// back; bad credentials, an unknown store and a map that is not 1 to 1 are refused and change nothing. ZZap allows
// one call every 3 seconds, which the connector keeps to: this file takes a while for that reason.

const ORDERS = 6;
let junction: ZzapToCrm;
let zzapId: string;
let crmId: string;
let integrationId: string;
const STORE = 'zzap-parts';
const settings = (extra: Record<string, unknown> = {}) => ({
  storeCode: STORE,
  productMatching: 'article',
  statusZzapToCrm: true,
  statusCrmToZzap: true,
  processApiChanges: false,
  statusMap: statusMap(),
  ...extra,
});

beforeAll(async () => {
  junction = await startZzapToCrm({ zzap: { orders: ORDERS } });
  crmId = (await junction.connectCrm()).id;
}, 60_000);

afterAll(() => junction?.close());

/** Saves the integration's settings; every save tests both connections and checks the map against them. */
async function saveSettings(extra: Record<string, unknown>): Promise<void> {
  const integration = await junction.api<{ kind: string; name: string; sourceConnectionId: string; targetConnectionId: string }>(
    'GET',
    `/v1/integrations/${integrationId}`,
  );
  const { kind, name, sourceConnectionId, targetConnectionId } = integration;
  await junction.api('PUT', `/v1/integrations/${integrationId}`, { kind, name, sourceConnectionId, targetConnectionId, settings: settings(extra) });
}

let syncs = 0;
/** Presses Sync and waits until both streams have run once more. */
async function sync(): Promise<void> {
  syncs += 1;
  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  await junction.finishedRuns(integrationId, ['orders', 'order_history'], syncs, 90_000);
}

const crmStatusOf = (zzapCode: number) => STATUS_PAIRS.find(([code]) => code === zzapCode)?.[1];
const zzapCodeOf = (crmStatus: string) => STATUS_PAIRS.find(([, status]) => status === crmStatus)?.[0];

/** How many SetOrderStatusV3 calls ZZap answered so far. */
async function statusWrites(): Promise<number> {
  return (await junction.zzap.control.requests()).filter((request) => request.path.endsWith('/SetOrderStatusV3')).length;
}

it('refuses wrong credentials, an unknown store and a status map that is not 1 to 1, and changes nothing', async () => {
  const wrong = await junction.connectZzap('seller', 'not-the-password');
  const tested = await junction.api<{ ok: boolean; message: string }>('POST', `/v1/connections/zzap/${wrong.id}/test`);
  expect(tested).toEqual({ ok: false, message: expect.stringContaining('Неверный логин или пароль') });
  await junction.api('DELETE', `/v1/connections/zzap/${wrong.id}`);

  zzapId = (await junction.connectZzap()).id;
  const unknownStore = await junction.createIntegration(zzapId, crmId, settings({ storeCode: 'nowhere' }));
  expect(unknownStore.status).toBe(400);
  expect(unknownStore.body.issues).toContainEqual({
    path: 'settings.storeCode',
    message: expect.stringContaining("RetailCRM has no store 'nowhere'"),
  });
  const twoOntoOne = statusMap([...STATUS_PAIRS.slice(0, 5), [6, 'complete']]);
  const notOneToOne = await junction.createIntegration(zzapId, crmId, settings({ statusMap: twoOntoOne }));
  expect(notOneToOne.status).toBe(400);
  expect(JSON.stringify(notOneToOne.body.issues)).toContain("mapped more than once: RetailCRM status 'complete'");
  expect(await junction.api<{ integrations: unknown[] }>('GET', '/v1/integrations')).toEqual({ integrations: [] });
  expect(await junction.crmOrders()).toEqual([]);
}, 60_000);

it('creates each ZZap order once in the chosen store, items matched by article and the rest as free text', async () => {
  const created = await junction.createIntegration(zzapId, crmId, settings());
  expect(created.status).toBe(201);
  integrationId = created.body.id;
  await sync();
  const zzapOrders = await junction.zzapOrders();
  const orders = await waitFor(async () => {
    const current = await junction.crmOrders();
    return current.length >= zzapOrders.length ? current : undefined;
  }, 60_000);
  expect(orders).toHaveLength(ORDERS);
  expect(new Set(orders.map((order) => order.externalId)).size).toBe(ORDERS);
  for (const zzapOrder of zzapOrders) {
    const order = orders.find((candidate) => candidate.externalId === `zzap-${zzapOrder.code_order}`);
    expect(order).toMatchObject({ site: STORE, status: crmStatusOf(zzapOrder.code_track), email: zzapOrder.email });
    const [item] = order?.items ?? [];
    if (zzapOrder.partnumber === 'OC90') {
      expect(item.offer).toBeUndefined();
      expect(item.productName).toContain('Фильтр масляный');
    } else {
      expect(item.offer?.article).toBe(zzapOrder.partnumber);
    }
  }
  // A second sync reads the same orders again: nothing new in RetailCRM.
  await sync();
  expect(await junction.crmOrders()).toHaveLength(ORDERS);
}, 180_000);

it('moves statuses under the flags, and a change Junction made never comes back', async () => {
  const zzapOrders = await junction.zzapOrders();
  const [first, second, third] = zzapOrders;
  const crmOrder = async (codeOrder: number) => (await junction.crmOrders()).find((order) => order.externalId === `zzap-${codeOrder}`)!;

  // Flag 1: a status changed in ZZap reaches RetailCRM, written by Junction's key.
  await junction.changeInZzap(first.code_order, 4);
  // Flag 2: a CRM user's change reaches ZZap; flag 3 off: another API client's change does not.
  await junction.changeInCrm((await crmOrder(second.code_order)).id, 'complete', 'user');
  await junction.changeInCrm((await crmOrder(third.code_order)).id, 'cancel-other', 'api_client');
  const writesBefore = await statusWrites();
  await sync();

  await waitFor(async () => ((await crmOrder(first.code_order)).status === 'assembling-complete' ? true : undefined), 30_000);
  const zzapAfter = await waitFor(async () => {
    const current = await junction.zzapOrders();
    return current.find((order) => order.code_order === second.code_order)?.code_track === zzapCodeOf('complete') ? current : undefined;
  }, 30_000);
  expect(zzapAfter.find((order) => order.code_order === third.code_order)?.code_track).toBe(third.code_track);
  expect(await statusWrites()).toBe(writesBefore + 1);
  const firstCrm = await crmOrder(first.code_order);
  const statusHistory = (await junction.crmHistory()).filter((record) => record.field === 'status' && record.order.id === firstCrm.id);
  // The mapped change shows in the order's history, made through the API with Junction's key.
  expect(statusHistory.at(-1)).toMatchObject({ source: 'api', newValue: { code: 'assembling-complete' } });

  // Two more rounds: Junction's own changes in either system are not forwarded back, so nothing moves.
  await sync();
  await sync();
  expect(await statusWrites()).toBe(writesBefore + 1);
  expect((await crmOrder(first.code_order)).status).toBe('assembling-complete');
  expect((await crmOrder(second.code_order)).status).toBe('complete');
  expect((await junction.zzapOrders()).find((order) => order.code_order === first.code_order)?.code_track).toBe(4);

  // Flag 3 on: another API client's change now reaches ZZap.
  await saveSettings({ processApiChanges: true });
  await junction.changeInCrm((await crmOrder(third.code_order)).id, 'prepayed', 'api_client');
  await sync();
  await waitFor(async () => {
    const current = await junction.zzapOrders();
    return current.find((order) => order.code_order === third.code_order)?.code_track === zzapCodeOf('prepayed') ? true : undefined;
  }, 30_000);

  // Flag 2 off: a CRM user's change stays in RetailCRM.
  await saveSettings({ statusCrmToZzap: false });
  const writesWithoutFlag2 = await statusWrites();
  await junction.changeInCrm((await crmOrder(first.code_order)).id, 'complete', 'user');
  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  await junction.finishedRuns(integrationId, ['orders'], syncs + 1, 90_000);
  expect(await statusWrites()).toBe(writesWithoutFlag2);
  expect((await junction.zzapOrders()).find((order) => order.code_order === first.code_order)?.code_track).toBe(4);
}, 300_000);
