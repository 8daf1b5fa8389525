import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import { randomName, waitFor } from '@junction/e2e/test/support';
import { seedWonQuote, startJunction, type Junction } from '@junction/e2e/test/zomentum-repairshopr';
import { createTestTelemetry } from '@junction/telemetry';
import { openConsole, type ConsoleTab } from './console-page';

// Zomentum <-> RepairShopr set up in the console as an MSP would: both connections (the RepairShopr token pasted first
// lacks the Estimates permission, and "Test connection" says so), both directions, contacts created after a date,
// two product categories, a category of the map changed, quote sync type 1, two schedules, "Save and Sync". The won
// quote's estimates are refused and dead-lettered; with the right token saved, "Replay" on the Sync screen writes
// them. Checked in both sandboxes; the run links to its own trace through a trace UI template.

const TRACE_UI = 'https://grafana.example/explore?traceId={traceId}&run={runId}';
/** Only RepairShopr products of these categories go to Zomentum. */
const PULLED_CATEGORIES = ['Hardware', 'Labor'];
const OLD_CONTACT = 'Olga Oldtimer';

const telemetry = createTestTelemetry();
let junction: Junction;
let tab: ConsoleTab;

beforeAll(async () => {
  process.env.MAPPING_TRACE_UI_URL = TRACE_UI;
  junction = await startJunction({
    repairshopr: { customers: 2, contactsPerCustomer: 1, productsPerCategory: 1, estimates: 0 },
    zomentum: { clients: 1, documents: 0 },
  });
  // A contact from long before the date the integration syncs contacts from.
  const [customer] = (await junction.repairshoprState()).customers;
  await junction.repairshopr.control.seed({
    contacts: [{ account_id: 1, customer_id: customer.id, name: OLD_CONTACT, email: 'olga@old.example', created_at: '2020-03-02T09:00:00.000Z' }],
  });
  tab = await openConsole(junction, [...Object.values(repairshoprSandbox.SEEDED.tokens), zomentumSandbox.SEEDED.accessToken, zomentumSandbox.SEEDED.refreshToken]);
}, 120_000);

afterAll(async () => {
  await tab?.close();
  await junction?.close();
  await telemetry.shutdown();
  delete process.env.MAPPING_TRACE_UI_URL;
});

const zomentumState = async () => ({
  clients: await junction.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies'),
  contacts: await junction.zomentum.control.records<zomentumSandbox.ClientUser>('client_users'),
  items: await junction.zomentum.control.records<zomentumSandbox.Item>('items'),
});

it('sets up Zomentum <-> RepairShopr with filters, category map and schedules, and replays the refused estimates once the token is fixed', async () => {
  const { page, heading, screenshot } = tab;
  const repairshoprBefore = await junction.repairshoprState();
  const zomentumBefore = await zomentumState();
  const { client, lines } = await seedWonQuote(junction.zomentum, 'Office refresh');
  await tab.signIn();

  const mspName = randomName('Contoso MSP ');
  await tab.addConnection({
    vendor: 'Zomentum',
    name: mspName,
    fields: { 'Access token': zomentumSandbox.SEEDED.accessToken, 'Refresh token': zomentumSandbox.SEEDED.refreshToken },
    advanced: {
      'API address': zomentumSandbox.baseUrlFor(junction.zomentum.url, 'v2'),
      'Token refresh address': `${zomentumSandbox.baseUrlFor(junction.zomentum.url, 'v1')}/oauth/access-token`,
    },
  });
  const shopName = randomName('Acme repairs ');
  await tab.addConnection({
    vendor: 'RepairShopr',
    name: shopName,
    fields: { Subdomain: 'acme', 'API token': repairshoprSandbox.SEEDED.tokens.noEstimates },
    advanced: { 'API address': repairshoprSandbox.baseUrlFor(junction.repairshopr.url, 'acme') },
  });
  await tab.testConnection(mspName, /Zomentum/);
  const shopTest = await tab.testConnection(shopName, /lacks the permission Estimates - View Details$/);
  expect((await shopTest.getAttribute('class'))?.split(' ')).toContain('error');
  await screenshot('zomentum-repairshopr-connections');

  const integrationName = randomName('MSP sync ');
  await tab.newIntegration({ kind: 'Zomentum ↔ RepairShopr', name: integrationName, source: mspName, target: shopName });
  await page.getByLabel('Sync direction').selectOption({ label: 'Sync both ways (2-way)' });
  await page.getByLabel('Only contacts created after').fill('2024-01-01');
  await page.getByLabel('Only products of these categories').fill(PULLED_CATEGORIES.join(', '));
  // Zomentum's "Software" products go under RepairShopr's Accessories instead of Default.
  expect(await page.getByLabel('Zomentum category 2').inputValue()).toBe('Software');
  await page.getByLabel('RepairShopr category 2').fill('Accessories');
  const typeOne = page.getByLabel('Quote sync type 1: one estimate per billing period');
  expect(await typeOne.isChecked()).toBe(true);
  await typeOne.uncheck();
  await typeOne.check();
  // Won quotes every 30 minutes; RepairShopr customers on weekday mornings in Budapest.
  const timing = (stream: string) => page.locator('td', { has: page.getByLabel(stream, { exact: true }) });
  await page.getByLabel('zomentum.documents', { exact: true }).selectOption({ label: 'Every N minutes' });
  await timing('zomentum.documents').getByLabel('Minutes').fill('30');
  await page.keyboard.press('Tab');
  await page.getByLabel('repairshopr.customers', { exact: true }).selectOption({ label: 'Cron expression' });
  await timing('repairshopr.customers').getByLabel('Cron (minute hour day month weekday)').fill('0 6 * * 1-5');
  await timing('repairshopr.customers').getByLabel('Time zone').fill('Europe/Budapest');
  await page.keyboard.press('Tab');
  await screenshot('zomentum-repairshopr-settings');
  await page.getByRole('button', { name: 'Save and Sync' }).click();

  // Every stream of both directions runs; the estimates are refused for the missing permission and dead-lettered.
  await heading(`${integrationName}: sync`).waitFor();
  for (const stream of ['zomentum.documents', 'repairshopr.customers', 'repairshopr.contacts', 'repairshopr.products']) {
    await page.locator('tr.run.succeeded', { hasText: stream }).waitFor({ timeout: 60_000 });
  }
  const deadLetters = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: '#' }) });
  const replayButtons = deadLetters.getByRole('button', { name: /^Replay #\d+$/ });
  await waitFor(async () => (await replayButtons.count()) === lines.length || undefined, 60_000, 250);
  expect(await deadLetters.locator('tbody tr').allTextContents()).toEqual(
    Array(lines.length).fill(expect.stringMatching(/cmd\.repairshopr\.estimate\.create.*update your group permissions/)),
  );
  await page.getByText('update your group permissions').first().waitFor();
  await screenshot('zomentum-repairshopr-dead-letters');

  // The run's trace link fills the trace UI's template with the run's own trace.
  const documentsRun = page.locator('tr.run', { hasText: 'zomentum.documents' });
  const runId = await documentsRun.getAttribute('data-run-id');
  const { integrations } = await junction.api<{ integrations: Array<{ id: string; name: string }> }>('GET', '/v1/integrations');
  const integrationId = integrations.find((integration) => integration.name === integrationName)?.id;
  const { runs } = await junction.api<{ runs: Array<{ runId: string; traceId: string | null }> }>('GET', `/v1/integrations/${integrationId}/runs`);
  const traceId = runs.find((run) => run.runId === runId)?.traceId;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(await documentsRun.getByRole('link', { name: 'Open trace' }).getAttribute('href')).toBe(
    `https://grafana.example/explore?traceId=${traceId}&run=${runId}`,
  );

  // The right token: edited (credentials are write-only), tested, and the dead letters replayed.
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('button', { name: `Edit: ${shopName}` }).click();
  expect(await page.getByLabel('API token', { exact: true }).inputValue()).toBe('');
  await page.getByLabel('API token', { exact: true }).fill(repairshoprSandbox.SEEDED.tokens.full);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await tab.testConnection(shopName, /^Connected to RepairShopr shop "acme"/);
  await page.getByRole('link', { name: 'Integrations' }).click();
  await page.getByRole('link', { name: `Sync: ${integrationName}` }).click();
  await heading(`${integrationName}: sync`).waitFor();
  const notice = page.getByRole('status');
  await waitFor(async () => (await replayButtons.count()) === lines.length || undefined, 30_000, 250);
  const labels = await replayButtons.evaluateAll((buttons) => buttons.map((button) => button.getAttribute('aria-label') ?? ''));
  expect(labels).toHaveLength(lines.length);
  for (const label of labels) {
    const seq = label.replace('Replay #', '');
    await deadLetters.getByRole('button', { name: label, exact: true }).click();
    // Whatever the console answers this click, so that a failure shows what it said.
    await notice.filter({ hasText: new RegExp(`^(Dead letter ${seq} |Failed)`) }).waitFor({ timeout: 30_000 });
    expect(await notice.textContent()).toBe(`Dead letter ${seq} replayed.`);
  }
  await page.getByText('No dead letters.').waitFor();
  await page.getByText('No failed writes.').waitFor({ timeout: 30_000 });

  // RepairShopr: the quote's client with one estimate per billing period, its products under the mapped categories.
  const repairshopr = await waitFor(async () => {
    const state = await junction.repairshoprState();
    return state.estimates.length >= lines.length ? state : undefined;
  }, 30_000, 250);
  const customer = repairshopr.customers.find((candidate) => candidate.business_name === client.name);
  expect(repairshopr.customers).toHaveLength(repairshoprBefore.customers.length + 1);
  expect(repairshopr.estimates).toHaveLength(lines.length);
  expect(repairshopr.estimates.every((estimate) => estimate.customer_id === customer?.id)).toBe(true);
  const categoryOf = (name: string) => repairshopr.products.find((product) => product.name === name)?.product_category;
  const zomentumCategory = (itemId: string) => zomentumBefore.items.find((item) => item.id === itemId)?.category?.name;
  expect(Object.fromEntries(lines.map((line) => [zomentumCategory(line.item_id), categoryOf(line.name)]))).toEqual({
    Hardware: 'Hardware',
    Software: 'Accessories',
    Service: 'Labor',
  });

  // Zomentum: RepairShopr's customers, its contacts but the old one, and only its products of the two categories.
  const zomentum = await waitFor(async () => {
    const state = await zomentumState();
    return state.clients.length >= zomentumBefore.clients.length + repairshoprBefore.customers.length ? state : undefined;
  }, 30_000, 250);
  const added = <T>(now: T[], before: T[], name: (record: T) => string | null) =>
    now.filter((record) => !before.some((old) => name(old) === name(record))).map(name).sort();
  expect(added(zomentum.clients, zomentumBefore.clients, (record) => record.name)).toHaveLength(repairshoprBefore.customers.length);
  expect(added(zomentum.contacts, zomentumBefore.contacts, (record) => record.email)).toEqual(
    repairshoprBefore.contacts.filter((contact) => contact.name !== OLD_CONTACT).map((contact) => contact.email).sort(),
  );
  expect(added(zomentum.items, zomentumBefore.items, (record) => record.name)).toEqual(
    repairshoprBefore.products.filter((product) => PULLED_CATEGORIES.includes(product.product_category ?? '')).map((product) => product.name).sort(),
  );

  // The settings screen shows what the scheduler runs now.
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByText('Now: every 30 min').waitFor();
  await page.getByText('Now: 0 6 * * 1-5 (Europe/Budapest)').waitFor();
  await screenshot('zomentum-repairshopr-schedules');

  expect(tab.leaks).toEqual([]);
  expect(tab.violations).toEqual([]);
}, 300_000);
