import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import { shopOrderNumber, startShopToCrm, type ShopToCrm } from '@junction/e2e/test/shoprenter-minicrm';
import { randomName, waitFor } from '@junction/e2e/test/support';
import { controlToken, controlUrl, launchBrowser, SCREENSHOTS } from './harness';

// The operator console in Chromium: a Shoprenter -> MiniCRM integration set up the way the seed describes it (two
// connections, "Test connection", the status map filled from the tested statuses, "Save and Sync"), the run watched
// to success on the Sync screen, and every order checked in the MiniCRM sandbox. Screenshots go to reports/console/.

const ORDERS = 30;
/** The pairing a shop owner would choose: shop status -> MiniCRM Order status. */
const STATUS_PAIRS: Array<[string, string]> = [
  ['Függőben lévő', 'Új megrendelés'],
  ['Feldolgozás alatt', 'Feldolgozás alatt'],
  ['Szállítás alatt', 'Kiszállítva'],
  ['Teljesítve', 'Teljesítve'],
  ['Törölve', 'Sztornózva'],
];
const SECRETS = [shoprenterSandbox.SEEDED.apiPassword, minicrmSandbox.SEEDED.apiKey];

let junction: ShopToCrm;
let browser: Browser;
let page: Page;
let url: string;
/** Answers of the control API that carried a credential: there must be none. */
const leaks: string[] = [];

const TRACE_UI = 'http://jaeger.example:16686';

beforeAll(async () => {
  // The trace UI the console links runs to (the mapping service reads it as it reads its other settings).
  process.env.MAPPING_TRACE_UI_URL = TRACE_UI;
  junction = await startShopToCrm({ shoprenter: { orders: ORDERS } });
  url = await controlUrl(junction);
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  page.on('response', async (response) => {
    const body = await response.text().catch(() => '');
    if (SECRETS.some((secret) => body.includes(secret))) leaks.push(`${response.request().method()} ${response.url()}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await junction?.close();
  delete process.env.MAPPING_TRACE_UI_URL;
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

it('serves the console at /console with the right content types, and the API still needs the token', async () => {
  const page = await fetch(`${url}/console`, { redirect: 'manual' });
  expect(page.status).toBe(301);
  expect(page.headers.get('location')).toBe('/console/');
  const types = await Promise.all(
    ['/console/', '/console/styles.css', '/console/js/app/main.js', '/console/vendor/preact.js', '/console/config.json'].map(async (path) => {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(200);
      return response.headers.get('content-type');
    }),
  );
  expect(types).toEqual([
    expect.stringMatching(/^text\/html/),
    expect.stringMatching(/^text\/css/),
    expect.stringMatching(/javascript/),
    expect.stringMatching(/javascript/),
    expect.stringMatching(/^application\/json/),
  ]);
  expect((await fetch(`${url}/console/missing.js`)).status).toBe(404);
  expect((await fetch(`${url}/v1/integrations`)).status).toBe(401);
});

it('sets up Shoprenter -> MiniCRM, saves and syncs it, and shows the run until every order is in MiniCRM', async () => {
  await page.goto(`${url}/console`);

  // Keyboard only: a new screen puts the focus on its heading, Tab reaches the token field, Enter sends it.
  await heading('Sign in').waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Sign in');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('token');
  await page.keyboard.type('not-the-token-0123456789');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').filter({ hasText: 'The token was refused.' }).waitFor();
  await page.getByLabel('Control API token').fill(controlToken());
  await page.keyboard.press('Enter');
  await heading('Integrations').waitFor();

  // Connections: one per vendor, with the fields the vendor asks for.
  await page.getByRole('link', { name: 'Connections' }).click();
  await heading('Connections').waitFor();
  const shopName = randomName('Acme webshop ');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByLabel('Vendor').selectOption('shoprenter');
  await page.getByLabel('Name', { exact: true }).fill(shopName);
  await page.getByLabel('API URL').fill(shoprenterSandbox.baseUrlFor(junction.shoprenter.url, 'acme'));
  await page.getByLabel('API username').fill(shoprenterSandbox.SEEDED.apiUsername);
  await page.getByLabel('Password', { exact: true }).fill(shoprenterSandbox.SEEDED.apiPassword);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `Connection "${shopName}" saved.` }).waitFor();

  const crmName = randomName('Demo Kft. ');
  await page.getByRole('button', { name: 'Add connection' }).click();
  await page.getByLabel('Vendor').selectOption('minicrm');
  await page.getByLabel('Name', { exact: true }).fill(crmName);
  await page.getByLabel('System id').fill(String(minicrmSandbox.SEEDED.systemId));
  await page.getByLabel('API key').fill(minicrmSandbox.SEEDED.apiKey);
  await page.getByLabel('Coupon codes field').fill('Text1301');
  await page.getByText('Advanced settings').click();
  await page.getByLabel('API address').fill(junction.minicrm.url);
  await page.getByLabel('Requests per minute').fill('60000');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `Connection "${crmName}" saved.` }).waitFor();

  // "Test connection": the vendor's answer beside the button, with the statuses it fetched.
  const shopRow = page.getByRole('row', { name: shopName });
  await shopRow.getByRole('button', { name: 'Test connection' }).click();
  await shopRow.getByRole('status').filter({ hasText: /^Sikeres kapcsolódás!.*5 order statuses fetched\.$/ }).waitFor();
  const crmRow = page.getByRole('row', { name: crmName });
  await crmRow.getByRole('button', { name: 'Test connection' }).click();
  await crmRow.getByRole('status').filter({ hasText: /order statuses fetched/ }).waitFor();
  await expectClass(shopRow.getByRole('status'), 'ok');
  await screenshot('connections');

  // The integration: kind, both connections, and the status map filled from the tested statuses.
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: 'New integration' }).click();
  await heading('New integration').waitFor();
  const integrationName = randomName('Webshop ');
  await page.getByLabel('Integration', { exact: true }).selectOption('shoprenter-minicrm');
  await page.getByLabel('Name', { exact: true }).fill(integrationName);
  await page.getByLabel('Shoprenter connection').selectOption({ label: shopName });
  await page.getByLabel('MiniCRM connection').selectOption({ label: crmName });
  for (const [shopStatus, crmStatus] of STATUS_PAIRS.slice(0, -1)) {
    await page.getByLabel(`MiniCRM status: ${shopStatus}`).selectOption({ label: crmStatus });
  }
  await page.getByRole('status').filter({ hasText: 'Not mapped yet (1): Törölve' }).waitFor();
  // Saving with a status left out is refused by the control API, and the reason is shown.
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'every Shoprenter status needs a MiniCRM status' }).waitFor();
  await screenshot('status-map-unmapped');
  const [lastShop, lastCrm] = STATUS_PAIRS[STATUS_PAIRS.length - 1];
  await page.getByLabel(`MiniCRM status: ${lastShop}`).selectOption({ label: lastCrm });
  await page.getByRole('status').filter({ hasText: 'Every status is mapped.' }).waitFor();
  await page.getByRole('button', { name: 'Save and Sync' }).click();

  // The Sync screen: the run reaches success with its progress, counts and the last sync time.
  await heading(`${integrationName}: sync`).waitFor();
  const run = page.locator('tr.run.succeeded', { hasText: 'shoprenter.orders' });
  await run.waitFor({ timeout: 90_000 });
  expect(await run.locator('.progress-text').textContent()).toBe(`${ORDERS} / ${ORDERS} (100%)`);
  expect(await run.textContent()).toContain('Save and Sync');
  expect(await page.getByTestId('last-sync-time').textContent()).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/);
  const trace = new URL((await run.getByRole('link', { name: 'Open trace' }).getAttribute('href')) ?? '');
  expect(trace.origin).toBe(TRACE_UI);
  expect(trace.searchParams.get('service')).toBe('shoprenter');
  expect(JSON.parse(trace.searchParams.get('tags') ?? '{}')).toEqual({ 'junction.sync.run.id': await run.getAttribute('data-run-id') });

  // MiniCRM: every order once, in the status its shop status was mapped to.
  const crm = await waitFor(async () => {
    const state = await junction.crmState();
    return state.orders.length >= ORDERS ? state : undefined;
  }, 60_000, 500);
  const shop = await junction.shopOrders();
  const shopStatuses = await junction.shoprenter.control.records<shoprenterSandbox.OrderStatus>('orderStatuses');
  expect(crm.orders).toHaveLength(shop.length);
  for (const order of shop) {
    const written = crm.orders.find((candidate) => candidate.Number === shopOrderNumber(order));
    const card = crm.projects.find((project) => project.Id === written?.ProjectId);
    const shopStatus = shopStatuses.find((status) => status.innerId === order.orderStatusId)?.name;
    const expected = STATUS_PAIRS.find(([from]) => from === shopStatus)?.[1];
    expect(crm.statuses.find((status) => status.Id === card?.StatusId)?.Name).toBe(expected);
  }
  await screenshot('sync');

  // The same screen in Hungarian and Russian.
  await page.getByLabel('Language').selectOption('hu');
  await heading(`${integrationName}: szinkronizálás`).waitFor();
  await page.getByRole('button', { name: 'Szinkronizálás most' }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('hu');
  await screenshot('sync-hu');
  await page.getByLabel('Nyelv').selectOption('ru');
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).waitFor();
  await screenshot('sync-ru');
  await page.getByLabel('Язык').selectOption('en');

  // Credentials went to the API once and never came back in any answer.
  expect(leaks).toEqual([]);
}, 180_000);

async function expectClass(locator: ReturnType<Page['locator']>, name: string): Promise<void> {
  expect((await locator.getAttribute('class'))?.split(' ')).toContain(name);
}
