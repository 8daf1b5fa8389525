import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import { shopOrderNumber, startShopToCrm, type ShopToCrm } from '@junction/e2e/test/shoprenter-minicrm';
import { randomName, waitFor } from '@junction/e2e/test/support';
import { createTestTelemetry } from '@junction/telemetry';
import { controlToken } from './harness';
import { openConsole, type ConsoleTab } from './console-page';

// The operator console in Chromium: a Shoprenter -> MiniCRM integration set up the way the seed describes it (two
// connections, "Test connection", the status map filled from the tested statuses, "Save and Sync"), the run watched
// to success on the Sync screen with the order Shoprenter listed broken among the records it could not read, a
// "Full re-sync" that reads it once Shoprenter answers properly, and every order checked in the MiniCRM sandbox. The
// page works under its Content-Security-Policy. Screenshots go to reports/console/.

const ORDERS = 30;
/** The pairing a shop owner would choose: shop status -> MiniCRM Order status. */
const STATUS_PAIRS: Array<[string, string]> = [
  ['Függőben lévő', 'Új megrendelés'],
  ['Feldolgozás alatt', 'Feldolgozás alatt'],
  ['Szállítás alatt', 'Kiszállítva'],
  ['Teljesítve', 'Teljesítve'],
  ['Törölve', 'Sztornózva'],
];
const TRACE_UI = 'http://jaeger.example:16686';

// Real spans (in memory), so each run has a trace of its own for the console to link to.
const telemetry = createTestTelemetry();
let junction: ShopToCrm;
let tab: ConsoleTab;

beforeAll(async () => {
  // The trace UI the console links runs to (the mapping service reads it as it reads its other settings).
  process.env.MAPPING_TRACE_UI_URL = TRACE_UI;
  junction = await startShopToCrm({ shoprenter: { orders: ORDERS } });
  tab = await openConsole(junction, [shoprenterSandbox.SEEDED.apiPassword, minicrmSandbox.SEEDED.apiKey]);
}, 120_000);

afterAll(async () => {
  await tab?.close();
  await junction?.close();
  await telemetry.shutdown();
  delete process.env.MAPPING_TRACE_UI_URL;
});

it('serves the console at /console with the right content types and safe headers, and the API still needs the token', async () => {
  const { url } = tab;
  const page = await fetch(`${url}/console`, { redirect: 'manual' });
  expect(page.status).toBe(301);
  expect(page.headers.get('location')).toBe('/console/');
  const answers = await Promise.all(
    ['/console/', '/console/styles.css', '/console/js/app/main.js', '/console/vendor/preact.js', '/console/config.json'].map(async (path) => {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(200);
      return response.headers;
    }),
  );
  expect(answers.map((headers) => headers.get('content-type'))).toEqual([
    expect.stringMatching(/^text\/html/),
    expect.stringMatching(/^text\/css/),
    expect.stringMatching(/javascript/),
    expect.stringMatching(/javascript/),
    expect.stringMatching(/^application\/json/),
  ]);
  for (const headers of answers) {
    // Scripts of its own, and inline only the import map, by its hash.
    expect(headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='; /);
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect([headers.get('x-content-type-options'), headers.get('x-frame-options'), headers.get('referrer-policy')]).toEqual(['nosniff', 'DENY', 'no-referrer']);
  }
  expect((await fetch(`${url}/console/missing.js`)).status).toBe(404);
  expect((await fetch(`${url}/v1/integrations`)).status).toBe(401);
});

it('sets up Shoprenter -> MiniCRM, saves and syncs it, shows the run and its unreadable order, and a full re-sync completes it', async () => {
  const { page, heading, screenshot } = tab;
  await page.goto(`${tab.url}/console`);

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

  // The policy is in force: a script the page did not ship is refused (and reported), the console's own ran.
  expect(await page.evaluate(() => {
    const injected = document.createElement('script');
    injected.textContent = 'document.body.dataset.injected = "ran"';
    document.body.append(injected);
    return document.body.dataset.injected ?? 'refused';
  })).toBe('refused');
  const reported = /^script-src(-elem)? inline$/;
  await waitFor(async () => tab.violations.some((violation) => reported.test(violation)) || undefined, 5_000);
  expect(tab.violations).toContainEqual(expect.stringContaining('violates the following Content Security Policy directive'));
  tab.violations.length = 0;

  // Connections: one per vendor, with the fields the vendor asks for.
  const shopName = randomName('Acme webshop ');
  await tab.addConnection({
    vendor: 'Shoprenter',
    name: shopName,
    fields: {
      'API URL': shoprenterSandbox.baseUrlFor(junction.shoprenter.url, 'acme'),
      'API username': shoprenterSandbox.SEEDED.apiUsername,
      Password: shoprenterSandbox.SEEDED.apiPassword,
    },
  });
  const crmName = randomName('Demo Kft. ');
  await tab.addConnection({
    vendor: 'MiniCRM',
    name: crmName,
    fields: { 'System id': String(minicrmSandbox.SEEDED.systemId), 'API key': minicrmSandbox.SEEDED.apiKey, 'Coupon codes field': 'Text1301' },
    advanced: { 'API address': junction.minicrm.url, 'Requests per minute': '60000' },
  });

  // "Test connection": the vendor's answer beside the button, with the statuses it fetched.
  const shopTest = await tab.testConnection(shopName, /^Sikeres kapcsolódás!.*5 order statuses fetched\.$/);
  await tab.testConnection(crmName, /order statuses fetched/);
  expect((await shopTest.getAttribute('class'))?.split(' ')).toContain('ok');
  await screenshot('connections');

  // The integration: kind, both connections, and the status map filled from the tested statuses.
  const integrationName = randomName('Webshop ');
  await tab.newIntegration({ kind: 'Shoprenter → MiniCRM', name: integrationName, source: shopName, target: crmName });
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

  // Shoprenter lists the second order without its total, once: that order cannot be read on this run.
  const orders = (await junction.shopOrders()).sort((a, b) => a.innerId - b.innerId);
  await junction.shoprenter.control.setFaults({
    rules: [{ kind: 'malformed', variant: 'missing-field', pathPrefix: '/acme/orderExtend', field: 'items.1.total', count: 1 }],
  });
  await page.getByRole('button', { name: 'Save and Sync' }).click();

  // The Sync screen: the run reaches success with its progress, counts, the order it could not read, the last sync time.
  await heading(`${integrationName}: sync`).waitFor();
  const firstRun = page.locator('tr.run.succeeded', { hasText: 'shoprenter.orders' });
  await firstRun.waitFor({ timeout: 90_000 });
  expect(await firstRun.locator('.progress-text').textContent()).toBe(`${ORDERS} / ${ORDERS} (100%)`);
  expect(await firstRun.textContent()).toContain('Save and Sync');
  expect(await firstRun.textContent()).toContain(`${ORDERS - 1} created, 0 updated, 0 skipped, 1 failed`);
  const unread = firstRun.getByRole('list', { name: 'Records shoprenter.orders could not read' });
  expect(await unread.getByRole('listitem').allTextContents()).toEqual([
    expect.stringMatching(new RegExp(`^order ${orders[1].innerId}: Shoprenter order does not parse: total: `)),
  ]);
  expect(await page.getByTestId('last-sync-time').textContent()).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/);
  await screenshot('sync-failed-record');

  // The run's trace link opens the trace its own run span is in.
  const runId = await firstRun.getAttribute('data-run-id');
  // The span ends just after the run's last update is out.
  const runSpan = await waitFor(async () =>
    telemetry.spans().find((span) => span.name === 'sync run shoprenter.orders' && span.attributes['junction.sync.run.id'] === runId),
  );
  expect(await firstRun.getByRole('link', { name: 'Open trace' }).getAttribute('href')).toBe(`${TRACE_UI}/trace/${runSpan.spanContext().traceId}`);

  // Shoprenter answers properly again: "Full re-sync" reads every order once more, and writes only the missing one.
  await junction.shoprenter.control.clearFaults();
  await page.getByRole('button', { name: 'Full re-sync' }).click();
  await page.getByRole('status').filter({ hasText: 'Full re-sync requested for 1 streams.' }).waitFor();
  const resync = page.locator('tr.run.succeeded', { hasText: 'Sync now' });
  await resync.waitFor({ timeout: 60_000 });
  expect(await resync.textContent()).toMatch(/1 created, 0 updated, \d+ skipped, 0 failed/);
  expect(await resync.getByRole('list').count()).toBe(0);

  // MiniCRM: every order once, in the status its shop status was mapped to.
  const crm = await waitFor(async () => {
    const state = await junction.crmState();
    return state.orders.length >= ORDERS ? state : undefined;
  }, 60_000, 500);
  const shopStatuses = await junction.shoprenter.control.records<shoprenterSandbox.OrderStatus>('orderStatuses');
  expect(crm.orders.map((order) => order.Number).sort()).toEqual(orders.map(shopOrderNumber).sort());
  for (const order of orders) {
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
  await page.getByRole('button', { name: 'Teljes újraszinkronizálás' }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('hu');
  await screenshot('sync-hu');
  await page.getByLabel('Nyelv').selectOption('ru');
  await page.getByRole('button', { name: 'Синхронизировать сейчас' }).waitFor();
  await page.getByRole('list', { name: 'Записи, которые shoprenter.orders не удалось прочитать' }).waitFor();
  await screenshot('sync-ru');
  await page.getByLabel('Язык').selectOption('en');

  // Credentials went to the API once and never came back in any answer; the page never broke its policy.
  expect(tab.leaks).toEqual([]);
  expect(tab.violations).toEqual([]);
}, 180_000);
