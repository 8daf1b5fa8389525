import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run, type Io } from '@junction/cli';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import { startShopToCrm, type ShopToCrm } from '@junction/e2e/test/shoprenter-minicrm';
import { NATS_URL, randomName, waitFor } from '@junction/e2e/test/support';
import { Bus } from '@junction/messaging';
import { createTestTelemetry } from '@junction/telemetry';
import { controlToken, controlUrl, ROOT } from './harness';

// The junction CLI against a running control API (mapping, Shoprenter and MiniCRM connectors, both sandboxes): the
// setup of a Shoprenter -> MiniCRM integration, its settings exported as YAML, checked and imported again, a sync
// followed to the end, runs, dead letters listed, shown, replayed and discarded, and the exit codes scripts rely on.

const ORDERS = 12;
// Real spans (in memory), so each run has a trace id to show.
const telemetry = createTestTelemetry();
let junction: ShopToCrm;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  junction = await startShopToCrm({ shoprenter: { orders: ORDERS } });
  env = { JUNCTION_URL: await controlUrl(junction), JUNCTION_TOKEN: controlToken() };
  dir = mkdtempSync(join(tmpdir(), 'junction-cli-'));
}, 120_000);

afterAll(async () => {
  await junction?.close();
  await telemetry.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs one CLI invocation in this process; returns its exit code and what it printed. */
async function junctionCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (text) => out.push(text), err: (text) => err.push(text), interactive: false };
  const code = await run(argv, io, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const SHOP_STATUS_PAIRS: Record<string, string> = {
  'Függőben lévő': 'Új megrendelés',
  'Feldolgozás alatt': 'Feldolgozás alatt',
  'Szállítás alatt': 'Kiszállítva',
  Teljesítve: 'Teljesítve',
  Törölve: 'Sztornózva',
};

let shopId: string;
let crmId: string;
let integrationName: string;

it('adds and tests connections with the fields each connector asks for, credentials read from a file', async () => {
  const passwordFile = join(dir, 'shop-password');
  writeFileSync(passwordFile, `${shoprenterSandbox.SEEDED.apiPassword}\n`);
  const shop = await junctionCli(
    'connections', 'add', 'shoprenter', '--name', randomName('Acme '), '--test',
    '--set', `apiUrl=${shoprenterSandbox.baseUrlFor(junction.shoprenter.url, 'acme')}`,
    '--set', `username=${shoprenterSandbox.SEEDED.apiUsername}`, '--set', `password=@${passwordFile}`,
  );
  expect(shop).toMatchObject({ code: 0, out: expect.stringContaining('ok: Sikeres kapcsolódás!') });
  shopId = /created shoprenter connection (\S+)/.exec(shop.out)?.[1] ?? '';

  const missing = await junctionCli('connections', 'add', 'minicrm', '--name', 'Demo', '--set', 'systemId=12345');
  expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('minicrm needs --set apiKey=') });
  const unknown = await junctionCli('connections', 'add', 'minicrm', '--name', 'Demo', '--set', 'apiToken=x');
  expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining('minicrm has no field apiToken') });

  const crm = await junctionCli(
    'connections', 'add', 'minicrm', '--name', randomName('Demo Kft. '), '--json',
    '--set', `systemId=${minicrmSandbox.SEEDED.systemId}`, '--set', `apiKey=${minicrmSandbox.SEEDED.apiKey}`,
    '--set', `baseUrl=${junction.minicrm.url}`, '--set', 'couponCodesField=Text1301', '--set', 'requestsPerMinute=60000',
  );
  expect(crm.code).toBe(0);
  crmId = JSON.parse(crm.out).id;
  expect(crm.out).not.toContain(minicrmSandbox.SEEDED.apiKey);

  const listed = await junctionCli('connections', 'list', '--connector', 'minicrm', '--json');
  expect(JSON.parse(listed.out).connections).toEqual([expect.objectContaining({ id: crmId, hasCredentials: true })]);
  expect(listed.out).not.toContain(minicrmSandbox.SEEDED.apiKey);
  const tested = await junctionCli('connections', 'test', 'minicrm', crmId, '--json');
  expect(JSON.parse(tested.out)).toMatchObject({ ok: true, orderStatuses: expect.arrayContaining([{ id: expect.any(String), name: 'Sztornózva' }]) });
  // Four connectors do not run in this stack: they are reported, the others listed.
  const all = await junctionCli('connections', 'list');
  expect(all).toMatchObject({ code: 0, out: expect.stringContaining(shopId), err: expect.stringContaining('zzap') });
});

it('creates the integration from a settings file, refusing a status map that leaves a status out', async () => {
  const shopStatuses = (await junction.testConnection('shoprenter', shopId)).orderStatuses ?? [];
  const crmStatuses = (await junction.testConnection('minicrm', crmId)).orderStatuses ?? [];
  const statusMap = Object.fromEntries(
    shopStatuses.map((status) => [status.id, crmStatuses.find((crm) => crm.name === SHOP_STATUS_PAIRS[status.name])]),
  );
  const settingsFile = join(dir, 'settings.yaml');
  const add = () => junctionCli(
    'integrations', 'add', '--kind', 'shoprenter-minicrm', '--name', integrationName, '--source', shopId, '--target', crmId,
    '--settings', settingsFile,
  );
  integrationName = randomName('Webshop ');
  const [left, ...mapped] = Object.keys(statusMap);
  writeFileSync(settingsFile, stringify({ statusMap: Object.fromEntries(mapped.map((id) => [id, statusMap[id]])) }));
  expect(await add()).toMatchObject({ code: 3, err: expect.stringContaining('every Shoprenter status needs a MiniCRM status') });
  expect(left).toBeDefined();
  writeFileSync(settingsFile, stringify({ statusMap }));
  expect(await add()).toMatchObject({ code: 0, out: expect.stringContaining(`(${integrationName})`) });
  expect(await junctionCli('integrations', 'test', integrationName)).toMatchObject({ code: 0 });
});

it('exports the mappings as YAML, checks an edited file against the API schema, and imports it', async () => {
  const file = join(dir, 'mappings.yaml');
  expect(await junctionCli('mappings', 'export', file, '--integration', integrationName)).toMatchObject({ code: 0 });
  const text = readFileSync(file, 'utf8');
  expect(text).toMatch(/^# Junction mappings/);
  const exported = parse(text) as { integrations: Array<{ name: string; settings: Record<string, unknown> }> };
  expect(exported.integrations).toEqual([expect.objectContaining({ name: integrationName })]);
  expect(Object.keys(exported.integrations[0].settings.statusMap as object)).toHaveLength(5);

  exported.integrations[0].settings.disableProjects = true;
  exported.integrations[0].settings.nightlySync = 'yes';
  writeFileSync(file, stringify(exported));
  expect(await junctionCli('mappings', 'import', file, '--check')).toMatchObject({
    code: 1,
    err: expect.stringContaining('integrations[0].settings: must NOT have additional properties: nightlySync'),
  });
  delete exported.integrations[0].settings.nightlySync;
  writeFileSync(file, stringify(exported));
  expect(await junctionCli('mappings', 'import', file, '--check')).toMatchObject({ code: 0, out: expect.stringContaining('valid') });
  expect(await junctionCli('mappings', 'import', file)).toMatchObject({ code: 0, out: expect.stringContaining(`updated ${integrationName}`) });
  const { integrations } = JSON.parse((await junctionCli('integrations', 'list', '--json')).out);
  expect(integrations).toEqual([expect.objectContaining({ name: integrationName, settings: expect.objectContaining({ disableProjects: true }) })]);
});

it('syncs with --wait and a progress bar to the end, then shows the runs', async () => {
  const synced = await junctionCli('sync', integrationName, '--wait', '--timeout', '90');
  expect(synced.code).toBe(0);
  expect(synced.err).toMatch(/shoprenter\.orders\s+\[#{24}\] 12 \/ 12 \(100%\) succeeded · 12 created/);

  const runs = await junctionCli('runs', integrationName, '--json');
  expect(JSON.parse(runs.out)).toMatchObject({
    lastSyncTime: { display: expect.stringMatching(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/) },
    runs: [expect.objectContaining({ stream: 'orders', state: 'succeeded', reason: 'manual', progress: { done: ORDERS, total: ORDERS } })],
  });
  const { traceId } = JSON.parse(runs.out).runs[0];
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  const human = await junctionCli('runs', integrationName);
  expect(human.out).toMatch(/last sync time \d{2}-\d{2}-\d{4} \d{2}:\d{2} \(Europe\/Budapest\)/);
  expect(human.out).toMatch(new RegExp(`shoprenter\\.orders\\s+succeeded\\s+manual\\s+12 / 12 \\(100%\\).*${traceId}`));
  // The run is the pull; the orders reach MiniCRM as its commands are handled.
  await waitFor(async () => (await junction.crmState()).orders.length === ORDERS, 60_000, 500);
}, 120_000);

it('lists, shows, replays and discards a dead letter, and fails on one that is gone', async () => {
  const { integrations } = JSON.parse((await junctionCli('integrations', 'list', '--json')).out) as { integrations: Array<{ id: string; name: string }> };
  const integrationId = integrations.find((integration) => integration.name === integrationName)?.id;
  // An order.created whose data breaks its contract: mapping's routing consumer dead-letters it at once.
  const bus = await Bus.connect({ servers: NATS_URL, name: 'cli-test', namespace: junction.namespace });
  try {
    await bus.publish('order.created', {
      id: randomName('broken-order-'),
      type: 'order.created',
      version: 1,
      source: { connector: 'shoprenter', connectionId: shopId },
      integrationId,
      occurredAt: new Date().toISOString(),
      data: { orderNumber: 'not an order' },
    });
  } finally {
    await bus.close();
  }
  const listed = async () =>
    (JSON.parse((await junctionCli('dlq', 'list', '--integration', integrationName, '--json')).out) as { deadLetters: Array<{ seq: number }> })
      .deadLetters.map((letter) => letter.seq);
  const [seq] = await waitFor(async () => ((await listed()).length === 1 ? listed() : undefined));

  const listing = await junctionCli('dlq', 'list', '--integration', integrationName);
  expect(listing.out).toMatch(new RegExp(`^${seq}\\s+order\\.created\\s.*${integrationId}\\s+invalid message`, 'm'));
  const shown = await junctionCli('dlq', 'show', String(seq));
  expect(shown.code).toBe(0);
  expect(shown.out).toMatch(/^subject\s+order\.created$/m);
  expect(shown.out).toMatch(/^reason\s+invalid message: /m);
  expect(shown.out).toMatch(/^consumer\s+mapping-order-created$/m);
  expect(shown.out).toMatch(/^from\s+EVENTS, sequence \d+$/m);
  expect(shown.out).toMatch(new RegExp(`^integration\\s+${integrationId}$`, 'm'));
  expect(shown.out).toContain('\npayload:\n{\n  "id": "broken-order-');
  expect(shown.out).toContain('\n  "data": {\n    "orderNumber": "not an order"\n  }\n}');
  const json = JSON.parse((await junctionCli('dlq', 'show', String(seq), '--json')).out);
  expect(json).toMatchObject({ seq, originalSubject: 'order.created', deliveries: 1, headers: expect.any(Object) });

  // Replayed while still broken, it is dead-lettered again under a new sequence number; that one is discarded.
  expect(await junctionCli('dlq', 'replay', String(seq))).toMatchObject({ code: 0, out: expect.stringMatching(`dead letter ${seq} replayed`) });
  const [again] = await waitFor(async () => {
    const seqs = await listed();
    return seqs.length === 1 && seqs[0] !== seq ? seqs : undefined;
  });
  expect(await junctionCli('dlq', 'discard', String(again))).toMatchObject({ code: 0, out: `dead letter ${again} discarded: removed from the dead letters without replaying it` });
  expect(await listed()).toEqual([]);

  const gone = await junctionCli('dlq', 'discard', String(again), '987654321', '--json');
  expect(gone.code).toBe(1);
  expect(JSON.parse(gone.out).results).toEqual([
    { seq: again, error: 'no such dead letter (replayed or discarded already?)' },
    { seq: 987654321, error: 'no such dead letter (replayed or discarded already?)' },
  ]);
  expect(await junctionCli('dlq', 'discard', String(again))).toMatchObject({ code: 1, err: `dead letter ${again} not discarded: no such dead letter (replayed or discarded already?)` });
  expect(await junctionCli('dlq', 'show', String(seq))).toMatchObject({ code: 1, err: expect.stringContaining(`dead letter ${seq}: no such dead letter`) });
  expect(await junctionCli('dlq', 'replay', '987654321')).toMatchObject({ code: 1, err: expect.stringContaining('dead letter 987654321 not replayed') });
});

it('is the `junction` command of the workspace, with exit codes scripts can rely on', async () => {
  const bin = join(ROOT, 'node_modules', '.bin', 'junction');
  // Not spawnSync: the control API answers from this very process.
  const cli = (...argv: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(bin, argv, { env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.once('close', (status) => resolve({ status, stdout, stderr }));
    });
  expect(await cli('integrations', 'list')).toMatchObject({ status: 0, stdout: expect.stringContaining(integrationName) });
  expect(await cli('runs', 'no-such-integration')).toMatchObject({ status: 2, stderr: expect.stringContaining("no integration 'no-such-integration'") });
  expect(await cli('integrations', 'list', '--token', 'wrong-token-0123456789')).toMatchObject({ status: 3, stderr: expect.stringContaining('unauthorized') });
  expect(await cli('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('junction sync <integration> [--wait]') });
});
