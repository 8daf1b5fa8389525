import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import * as zzapSandbox from '@junction/sandbox-zzap';
import { randomName, waitFor } from '@junction/e2e/test/support';
import { startZzapToCrm, statusMap, STATUS_PAIRS, type ZzapToCrm } from '@junction/e2e/test/zzap-retailcrm';
import { openConsole, type ConsoleTab } from './console-page';

// ZZap <-> RetailCRM set up in the console as a parts seller would: the ZZap connection (key, login, password and the
// connection name) and the RetailCRM one (URL and key), the store chosen from those the RetailCRM test found, product
// matching, the interval, the three status flags (the third only with the second), and the 1:1 status map filled
// from the statuses both tests fetched. "Save and Sync" puts every ZZap order into the store once, in its mapped
// status. ZZap takes one call per 3.5 seconds, which is most of this file's time.

const ORDERS = 4;
const STORE = retailcrmSandbox.SEEDED.sites.zzap;
const SELLER = zzapSandbox.SEEDED.seller;
const PAIRS = statusMap();

let junction: ZzapToCrm;
let tab: ConsoleTab;

beforeAll(async () => {
  junction = await startZzapToCrm({ zzap: { orders: ORDERS } });
  tab = await openConsole(junction, [SELLER.api_key, SELLER.password, retailcrmSandbox.SEEDED.apiKeys.junction]);
}, 120_000);

afterAll(async () => {
  await tab?.close();
  await junction?.close();
});

it('sets up ZZap <-> RetailCRM with its store, interval, flags and 1:1 status map, and syncs every order into the store', async () => {
  const { page, heading, screenshot } = tab;
  await tab.signIn();

  const zzapName = randomName('Заказ с ZZap ');
  await tab.addConnection({
    vendor: 'ZZap',
    name: zzapName,
    fields: { 'API key': SELLER.api_key, Login: SELLER.login, Password: SELLER.password },
    advanced: { 'API address': zzapSandbox.baseUrlFor(junction.zzap.url) },
  });
  const crmName = randomName('Parts CRM ');
  await tab.addConnection({
    vendor: 'RetailCRM',
    name: crmName,
    fields: { 'Account URL': junction.retailcrm.url, 'API key': retailcrmSandbox.SEEDED.apiKeys.junction },
  });
  await tab.testConnection(zzapName, /^Connected to ZZap: 6 order statuses 6 order statuses fetched\.$/);
  await tab.testConnection(crmName, new RegExp(`^Connected to RetailCRM .*stores: ${STORE}, website.* order statuses fetched\\.$`));

  const integrationName = randomName('ZZap parts ');
  await tab.newIntegration({ kind: 'ZZap ↔ RetailCRM', name: integrationName, source: zzapName, target: crmName });
  // The stores are the ones the RetailCRM key reaches.
  const store = page.getByLabel('RetailCRM store');
  expect(await store.locator('option').allTextContents()).toEqual(['Choose a store', STORE, 'website']);
  await store.selectOption(STORE);
  await page.getByLabel('Product matching').selectOption({ label: 'By article (part number)' });
  await page.getByLabel('Sync interval').selectOption({ label: '30 min' });

  // Flag 3 only with flag 2: disabled without it, and cleared when flag 2 goes off again.
  const [zzapToCrm, crmToZzap, apiChanges] = [
    page.getByLabel('Status changes ZZap → RetailCRM'),
    page.getByLabel('Status changes RetailCRM → ZZap'),
    page.getByLabel('Process changes made via the API'),
  ];
  expect([await zzapToCrm.isChecked(), await crmToZzap.isChecked(), await apiChanges.isDisabled()]).toEqual([true, false, true]);
  await crmToZzap.check();
  await apiChanges.check();
  await crmToZzap.uncheck();
  expect([await apiChanges.isDisabled(), await apiChanges.isChecked()]).toEqual([true, false]);
  await crmToZzap.check();
  expect([await apiChanges.isDisabled(), await apiChanges.isChecked()]).toEqual([false, false]);

  // The status map: one row per ZZap status, RetailCRM's statuses to choose from, each paired once.
  await page.getByText('Each status may be paired only once (1 to 1).').waitFor();
  const partner = (zzapStatus: string) => page.getByLabel(`RetailCRM status: ${zzapStatus}`);
  const [first, second] = PAIRS;
  await partner(first.zzap.name).selectOption({ label: first.retailcrm.name });
  await partner(second.zzap.name).selectOption({ label: first.retailcrm.name });
  await page.getByRole('row', { name: new RegExp(`^${second.zzap.name} .*Paired more than once: the map must be 1 to 1\\.$`) }).waitFor();
  await page.getByRole('status').filter({ hasText: `Not mapped yet (${PAIRS.length - 2}): ` }).waitFor();
  await screenshot('zzap-retailcrm-status-map-duplicate');
  for (const pair of PAIRS.slice(1)) await partner(pair.zzap.name).selectOption({ label: pair.retailcrm.name });
  await page.getByRole('status').filter({ hasText: 'Every status is mapped.' }).waitFor();
  expect(await page.getByText('Paired more than once').count()).toBe(0);
  const unpaired = retailcrmSandbox.STATUSES.filter((status) => !STATUS_PAIRS.some(([, code]) => code === status.code));
  await page.getByText(`RetailCRM statuses not paired: ${unpaired.map((status) => status.name).join(', ')}`).waitFor();
  await screenshot('zzap-retailcrm-settings');
  await page.getByRole('button', { name: 'Save and Sync' }).click();

  // Both streams run: ZZap's orders, and RetailCRM's history (flag 2).
  await heading(`${integrationName}: sync`).waitFor({ timeout: 30_000 });
  const ordersRun = page.locator('tr.run.succeeded', { hasText: 'zzap.orders' });
  await ordersRun.waitFor({ timeout: 60_000 });
  await page.locator('tr.run.succeeded', { hasText: 'retailcrm.order_history' }).waitFor({ timeout: 60_000 });
  expect(await ordersRun.textContent()).toContain(`${ORDERS} created, 0 updated, 0 skipped, 0 failed`);
  expect(await page.getByText('(Europe/Moscow)').count()).toBe(1);
  await screenshot('zzap-retailcrm-sync');

  // RetailCRM: every ZZap order once, in the chosen store, in the status its ZZap status is paired with.
  const zzapOrders = await junction.zzapOrders();
  const orders = await waitFor(async () => {
    const current = await junction.crmOrders(STORE);
    return current.length >= ORDERS ? current : undefined;
  }, 30_000, 250);
  expect(orders.map((order) => order.externalId).sort()).toEqual(zzapOrders.map((order) => `zzap-${order.code_order}`).sort());
  for (const zzapOrder of zzapOrders) {
    const order = orders.find((candidate) => candidate.externalId === `zzap-${zzapOrder.code_order}`);
    expect(order?.status).toBe(STATUS_PAIRS.find(([code]) => code === zzapOrder.code_track)?.[1]);
  }
  const { integrations } = await junction.api<{ integrations: Array<{ name: string; settings: Record<string, unknown> }> }>('GET', '/v1/integrations');
  expect(integrations.find((integration) => integration.name === integrationName)?.settings).toMatchObject({
    storeCode: STORE,
    productMatching: 'article',
    syncIntervalMinutes: 30,
    statusZzapToCrm: true,
    statusCrmToZzap: true,
    processApiChanges: false,
  });

  expect(tab.leaks).toEqual([]);
  expect(tab.violations).toEqual([]);
}, 150_000);
