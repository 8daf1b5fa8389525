import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import * as zzapSandbox from '@junction/sandbox-zzap';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { startShopToCrm, type ShopToCrm } from './shoprenter-minicrm';
import type { ServiceName, Stack } from './stack';
import { NATS_URL, randomName, waitFor } from './support';
import { Bus } from '@junction/messaging';
import { seedWonQuote, startJunction, type Junction } from './zomentum-repairshopr';
import { startZzapToCrm, statusMap as zzapStatusMap, type ZzapToCrm } from './zzap-retailcrm';

// Observability end to end: every service runs as a process exporting traces (OTLP/HTTP JSON) to a receiver in this
// test and serving Prometheus metrics. One sync per integration (the Shoprenter one started by the scheduler) must
// arrive as one trace per synced record, parent to child across every NATS hop and into the vendor calls, linked with
// the trace of its sync run; the control API leads from a vendor id to that trace; a replayed dead letter goes on in
// the trace it failed in; no credential, e-mail or phone number is in any span or log line, not even when a vendor
// quotes them in a refusal; and a scrape shows the sync's metrics, mapping's own included.

const isPg = (span: ReceivedSpan) => span.scope === '@opentelemetry/instrumentation-pg';

/**
 * The trace as indented lines `service KIND name`, children sorted; database spans left out (their number is the
 * persistence layer's business) and vendor calls shown with their path. With `distinctCalls`, a vendor call repeated
 * under one parent shows once: how often a connector re-reads reference data (statuses, languages) depends on its
 * cache and on timing.
 */
function render(spans: ReceivedSpan[], options: { distinctCalls?: boolean } = {}): string {
  const shown = spans.filter((span) => !isPg(span));
  const children = (parent?: string) =>
    shown.filter((span) => span.parentSpanId === parent || (parent === undefined && !shown.some((other) => other.spanId === span.parentSpanId)));
  const label = (span: ReceivedSpan) =>
    `${span.service} ${span.kind} ${span.name}${span.kind === 'CLIENT' ? ` ${String(span.attributes['url.path'])}` : ''}`;
  const lines = (span: ReceivedSpan, depth: number): string[] => {
    const subtrees = children(span.spanId)
      .map((child) => ({ child, lines: lines(child, depth + 1) }))
      .sort((a, b) => a.lines[0].localeCompare(b.lines[0]))
      .filter(({ child, lines: [first] }, index, all) => !(options.distinctCalls && child.kind === 'CLIENT' && index > 0 && all[index - 1].lines[0] === first));
    return [`${'  '.repeat(depth)}${label(span)}`, ...subtrees.flatMap((subtree) => subtree.lines)];
  };
  return children(undefined)
    .flatMap((root) => lines(root, 0))
    .join('\n');
}

const receiver = new OtlpReceiver();
const saved = { ...process.env };
const CONNECTORS = ['zomentum', 'repairshopr', 'shoprenter', 'minicrm', 'zzap', 'retailcrm'] as const;
const prometheusPorts = new Map<string, number>();
let zomentum: Junction;
let shop: ShopToCrm;
let zzap: ZzapToCrm;

/** A port nothing listens on, for a service's /metrics (services read `<SERVICE>_PROMETHEUS_PORT`). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts a stack whose mapping serves /metrics, scraped as `name`. Every stack runs a mapping of its own, which reads
 * MAPPING_PROMETHEUS_PORT when it is spawned: the variable stays set until this stack's mapping answers on its port,
 * and only then may the next stack start. Resolves then, to the starting stack.
 */
async function startWithMappingMetrics<T>(name: string, start: () => Promise<T>): Promise<{ starting: Promise<T> }> {
  const port = await freePort();
  prometheusPorts.set(name, port);
  process.env.MAPPING_PROMETHEUS_PORT = String(port);
  const starting = start();
  // A failed start is reported where the stack is awaited.
  starting.catch(() => undefined);
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined))?.ok, 60_000);
  } finally {
    delete process.env.MAPPING_PROMETHEUS_PORT;
  }
  return { starting };
}

interface Synced {
  integrationId: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  /** The synced record's id in the source vendor and in the target vendor. */
  sourceId: string;
  targetId: string;
}

let won: Synced & { estimateIds: string[] };
/** The Shoprenter order synced, and the shop's second order, waiting for its status to be mapped. */
let order: Synced & { waitingId: string };
let zzapOrder: Synced;

/** Zomentum -> RepairShopr: a won quote with three billing periods, synced by "Sync now". */
async function syncWonQuote(): Promise<typeof won> {
  const integration = await zomentum.createIntegration({ direction: 'push_only' });
  await seedWonQuote(zomentum.zomentum, 'Office refresh');
  const [quote] = await zomentum.zomentum.control.records<{ id: string }>('documents');
  await zomentum.api('POST', `/v1/integrations/${integration.id}/sync`);
  await zomentum.finishedRuns(integration.id, ['documents'], 1);
  const { estimates } = await waitFor(async () => {
    const state = await zomentum.repairshoprState();
    return state.estimates.length === 3 ? state : undefined;
  }, 30_000);
  return {
    integrationId: integration.id,
    sourceConnectionId: integration.sourceConnectionId,
    targetConnectionId: integration.targetConnectionId,
    sourceId: quote.id,
    targetId: String(estimates[0].id),
    estimateIds: estimates.map((estimate) => String(estimate.id)),
  };
}

/**
 * Shoprenter -> MiniCRM, pulled by the scheduler every minute. The shop's second order moves to a status the shop
 * gets after the integration was saved, which the status map lacks: that order waits.
 */
async function syncShopOrder(): Promise<typeof order> {
  const shopId = (await shop.connectShop()).id;
  const crmId = (await shop.connectCrm()).id;
  const statusMap = await shop.statusMap(shopId, crmId);
  // The schedule fires at the next whole minute, which must find the second order moved.
  const untilNextMinute = 60_000 - (Date.now() % 60_000);
  if (untilNextMinute < 10_000) await new Promise((resolve) => setTimeout(resolve, untilNextMinute));
  const integration = await shop.createIntegration(shopId, crmId, { statusMap, schedules: { 'shoprenter.orders': { kind: 'interval', everyMinutes: 1 } } });
  const [shopOrder, waitingOrder] = await shop.shopOrders();
  const { control } = shop.shoprenter;
  const { orderStatuses: [returned] } = (await control.seed({ orderStatuses: [{ shopId: 1, name: 'Visszaküldve', color: '#000000' }] })) as unknown as {
    orderStatuses: shoprenterSandbox.OrderStatus[];
  };
  await control.update('orders', waitingOrder.innerId, { orderStatusId: returned.innerId });

  await shop.finishedRuns(integration.id, ['orders'], 1, 90_000);
  const [crmOrder] = await waitFor(async () => ((await shop.crmState()).orders.length === 1 ? (await shop.crmState()).orders : undefined), 30_000);
  return {
    integrationId: integration.id,
    sourceConnectionId: shopId,
    targetConnectionId: crmId,
    sourceId: String(shopOrder.innerId),
    targetId: String(crmOrder.Id),
    waitingId: String(waitingOrder.innerId),
  };
}

/** ZZap -> RetailCRM: the cabinet's one order, statuses one way only (so only ZZap's orders stream is pulled). */
async function syncZzapOrder(): Promise<Synced> {
  const zzapId = (await zzap.connectZzap()).id;
  const crmId = (await zzap.connectCrm()).id;
  const settings = { storeCode: 'zzap-parts', productMatching: 'article', statusZzapToCrm: true, statusCrmToZzap: false, processApiChanges: false, statusMap: zzapStatusMap() };
  const created = await zzap.createIntegration(zzapId, crmId, settings);
  expect(created.status).toBe(201);
  await zzap.api('POST', `/v1/integrations/${created.body.id}/sync`);
  await zzap.finishedRuns(created.body.id, ['orders'], 1, 60_000);
  const [crmOrder] = await waitFor(async () => ((await zzap.crmOrders()).length === 1 ? zzap.crmOrders() : undefined), 30_000);
  const [source] = await zzap.zzapOrders();
  return { integrationId: created.body.id, sourceConnectionId: zzapId, targetConnectionId: crmId, sourceId: String(source.code_order), targetId: String(crmOrder.id) };
}

beforeAll(async () => {
  const endpoint = await receiver.start();
  // The stacks' service processes inherit this environment as they are spawned.
  Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRIC_EXPORT_INTERVAL: '1000' });
  for (const connector of CONNECTORS) {
    const port = await freePort();
    prometheusPorts.set(connector, port);
    process.env[`${connector.toUpperCase()}_PROMETHEUS_PORT`] = String(port);
  }
  const shopStack = await startWithMappingMetrics('shop mapping', () =>
    startShopToCrm(
      { shoprenter: { orders: 2 } },
      { services: ['mapping', 'scheduler', 'shoprenter', 'minicrm'], processes: ['mapping', 'scheduler', 'shoprenter', 'minicrm'], env: { TICK_MS: '500' } },
    ),
  );
  const zomentumStack = await startWithMappingMetrics('zomentum mapping', () =>
    startJunction(
      { repairshopr: { customers: 0, productsPerCategory: 0, estimates: 0 }, zomentum: { documents: 0 } },
      { processes: ['mapping', 'zomentum', 'repairshopr'] },
    ),
  );
  // One sync per integration, side by side, each as soon as its stack runs: the schedule's next whole minute and
  // ZZap's pacing (a call every 3.5 s) set the pace.
  [won, order, zzapOrder] = await Promise.all([
    zomentumStack.starting.then((started) => {
      zomentum = started;
      return syncWonQuote();
    }),
    shopStack.starting.then((started) => {
      shop = started;
      return syncShopOrder();
    }),
    startZzapToCrm({ zzap: { orders: 1, statusChanges: false } }, { processes: ['mapping', 'zzap', 'retailcrm'] }).then((started) => {
      zzap = started;
      return syncZzapOrder();
    }),
  ]);
}, 150_000);

afterAll(async () => {
  await Promise.all([zomentum?.close(), shop?.close(), zzap?.close(), refusingRepairShopr?.close()]);
  await receiver.close();
  process.env = saved;
}, 60_000);

/** The trace id the control API stored for a vendor record (found by its id on either side) once it was written. */
async function traceOf(stack: Stack<string>, integrationId: string, vendorId: string, state = 'written'): Promise<string> {
  return waitFor(async () => {
    const { records } = await stack.api<{ records: Array<{ state: string; traceId: string | null }> }>(
      'GET',
      `/v1/integrations/${integrationId}/records?vendorId=${encodeURIComponent(vendorId)}`,
    );
    return records.find((record) => record.state === state)?.traceId ?? undefined;
  }, 30_000);
}

/** Waits until the trace renders as expected (spans arrive in batches), then compares, for a readable diff. */
async function expectTrace(traceId: string, expected: string, options: { distinctCalls?: boolean } = {}): Promise<ReceivedSpan[]> {
  const wanted = expected.trim();
  await waitFor(async () => render(receiver.trace(traceId), options) === wanted, 15_000).catch(() => undefined);
  expect(render(receiver.trace(traceId), options)).toBe(wanted);
  return receiver.trace(traceId);
}

const one = (spans: ReceivedSpan[], name: string) => {
  const found = spans.filter((span) => span.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};

/** The record's `sync record` root and its run's span, which link to each other. */
function runOf(record: ReceivedSpan): ReceivedSpan {
  expect(record.links).toHaveLength(1);
  const run = receiver.trace(record.links[0].traceId).find((span) => span.spanId === record.links[0].spanId);
  expect(run?.name).toMatch(/^sync run /);
  expect(run?.links.map((link) => link.spanId)).toContain(record.spanId);
  return run as ReceivedSpan;
}

/** The messaging attributes of a publish or process span of `subject`. */
const messaging = (subject: string, operation: 'publish' | 'process', messageId: string) => ({
  'messaging.system': 'nats',
  'messaging.destination.name': subject,
  'messaging.operation.type': operation,
  'messaging.message.id': messageId,
});

/** A delivery span of a command, with the ids on both sides. */
function expectCommand(span: ReceivedSpan, synced: Synced, connector: string, entityType: string) {
  expect(span.attributes).toMatchObject({
    'messaging.consumer.group.name': `${connector}-commands`,
    'junction.connector': connector,
    'junction.connection.id': synced.targetConnectionId,
    'junction.integration.id': synced.integrationId,
    'junction.entity.type': entityType,
    'junction.source.key': expect.stringMatching(new RegExp(`^[a-z]+:${synced.sourceConnectionId}:`)),
    'junction.external.id': expect.any(String),
    'junction.outcome': 'created',
  });
}

/** Every vendor call of the trace: an HTTP client span to the vendor's sandbox, answered. */
function expectVendorCalls(spans: ReceivedSpan[], vendor: string) {
  const calls = spans.filter((span) => span.kind === 'CLIENT' && !isPg(span));
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    expect(call.attributes).toMatchObject({
      'junction.vendor': vendor,
      'http.request.method': call.name,
      'server.address': '127.0.0.1',
      'http.response.status_code': expect.any(Number),
    });
  }
}

/** A sync run's trace, asked for by "Sync now" (the control API) or by the scheduler. */
const RUN_TREE = (connector: string, target: string, stream: string, calls: string[], requestedBy: 'api' | 'scheduler' = 'api') => {
  const request = requestedBy === 'api' ? ['mapping SERVER POST', '  mapping PRODUCER sync.requested publish'] : ['scheduler PRODUCER sync.requested publish'];
  const progress = [`    ${connector} PRODUCER sync.run.updated publish`, '      mapping CONSUMER sync.run.updated process'];
  const run = [
    `${target} CONSUMER sync.requested process`,
    `${connector} CONSUMER sync.requested process`,
    `  ${connector} INTERNAL sync run ${connector}.${stream}`,
    ...calls.map((call) => `    ${connector} CLIENT ${call}`),
    ...progress,
    ...progress,
    ...progress,
  ];
  return [...request, ...run.map((line) => `${'  '.repeat(request.length)}${line}`)].join('\n');
};

/** A command's delivery with its vendor calls and its outcome, under mapping's publish at `depth`. */
const COMMAND = (connector: string, action: string, calls: string[], depth = 3) =>
  [
    `mapping PRODUCER cmd.${connector}.${action} publish`,
    `  ${connector} CONSUMER cmd.${connector}.${action} process`,
    ...calls.map((call) => `    ${connector} CLIENT ${call}`),
    `    ${connector} PRODUCER record.written publish`,
    '      mapping CONSUMER record.written process',
  ]
    .map((line) => `\n${'  '.repeat(depth)}${line}`)
    .join('');

const REPAIRSHOPR_COMMANDS = [
  COMMAND('repairshopr', 'contact.ensure', ['GET /acme/api/v1/contacts', 'POST /acme/api/v1/contacts']),
  COMMAND('repairshopr', 'contact.ensure', ['GET /acme/api/v1/contacts', 'POST /acme/api/v1/contacts']),
  COMMAND('repairshopr', 'customer.ensure', ['GET /acme/api/v1/customers', 'POST /acme/api/v1/customers']),
  ...Array.from({ length: 3 }, () => COMMAND('repairshopr', 'estimate.create', ['GET /acme/api/v1/estimates/0', 'POST /acme/api/v1/estimates'])),
  ...Array.from({ length: 3 }, () => COMMAND('repairshopr', 'product.ensure', ['GET /acme/api/v1/products', 'POST /acme/api/v1/products'])),
];

it('traces a won quote from Zomentum through mapping into RepairShopr and its API as one trace, linked with its run', async () => {
  const traceId = await traceOf(zomentum, won.integrationId, won.sourceId);
  // Found from the target's id too: every estimate is in the quote's trace.
  for (const estimateId of won.estimateIds) expect(await traceOf(zomentum, won.integrationId, estimateId)).toBe(traceId);

  const spans = await expectTrace(
    traceId,
    `
zomentum INTERNAL sync record zomentum.documents
  zomentum PRODUCER deal.won publish
    mapping CONSUMER deal.won process${REPAIRSHOPR_COMMANDS.join('')}`,
  );
  const record = one(spans, 'sync record zomentum.documents');
  expect(record.attributes).toEqual({
    'junction.connector': 'zomentum',
    'junction.connection.id': won.sourceConnectionId,
    'junction.stream': 'documents',
    'junction.entity.type': 'deal',
    'junction.sync.run.id': expect.any(String),
    'junction.integration.id': won.integrationId,
    'junction.record.key': won.sourceId,
    'junction.outcome': 'updated',
  });
  const eventId = `zomentum:${won.sourceConnectionId}:documents:${won.sourceId}:won`;
  expect(one(spans, 'deal.won publish').attributes).toMatchObject(messaging('deal.won', 'publish', eventId));
  expect(one(spans, 'deal.won process').attributes).toMatchObject({
    ...messaging('deal.won', 'process', eventId),
    'messaging.consumer.group.name': 'mapping-deal-won',
    'junction.connector': 'zomentum',
    'junction.connection.id': won.sourceConnectionId,
    'junction.integration.id': won.integrationId,
    'junction.entity.type': 'deal',
    'junction.record.key': won.sourceId,
    'junction.outcome': 'routed',
    'junction.commands': 9,
  });
  const commands = spans.filter((span) => span.name.startsWith('cmd.repairshopr.') && span.kind === 'CONSUMER');
  for (const command of commands) expectCommand(command, won, 'repairshopr', command.name.split('.')[2]);
  const estimates = commands.filter((command) => command.name === 'cmd.repairshopr.estimate.create process');
  expect(estimates.map((span) => span.attributes['junction.external.id']).sort()).toEqual([...won.estimateIds].sort());
  expectVendorCalls(spans, 'repairshopr');

  const run = runOf(record);
  expect(run.attributes).toMatchObject({
    'junction.connector': 'zomentum',
    'junction.connection.id': won.sourceConnectionId,
    'junction.integration.id': won.integrationId,
    'junction.stream': 'documents',
    'junction.sync.run.id': record.attributes['junction.sync.run.id'],
    'junction.sync.reason': 'manual',
    'junction.sync.run.state': 'succeeded',
    'junction.sync.records.updated': 1,
  });
  const runSpans = await expectTrace(
    run.traceId,
    RUN_TREE('zomentum', 'repairshopr', 'documents', [
      'GET /v2/client/companies/65a0c11e4700000000000001',
      'GET /v2/client/users/65a0c0c7ac00000000000001',
      'GET /v2/client/users/65a0c0c7ac00000000000002',
      'GET /v2/documents',
      'GET /v2/items/65a017e30000000000000001',
      'GET /v2/items/65a017e30000000000000002',
      'GET /v2/items/65a017e30000000000000003',
    ]),
    { distinctCalls: true },
  );
  expect(one(runSpans, 'sync.requested publish').attributes).toMatchObject({ 'messaging.destination.name': 'sync.requested' });
  expectVendorCalls(runSpans, 'zomentum');
});

it('traces a Shoprenter order through mapping into MiniCRM as one trace, linked with the run the scheduler started', async () => {
  const traceId = await traceOf(shop, order.integrationId, order.targetId);
  expect(await traceOf(shop, order.integrationId, order.sourceId)).toBe(traceId);
  const spans = await expectTrace(
    traceId,
    `
shoprenter INTERNAL sync record shoprenter.orders
  shoprenter PRODUCER order.created publish
    mapping CONSUMER order.created process${COMMAND('minicrm', 'order.upsert', [
      'GET /Api/R3/Contact',
      'GET /Api/R3/Project',
      'POST /Api/Order',
      'PUT /Api/R3/Contact',
      'PUT /Api/R3/Project',
    ])}`,
  );
  expect(one(spans, 'sync record shoprenter.orders').attributes).toMatchObject({
    'junction.integration.id': order.integrationId,
    'junction.connection.id': order.sourceConnectionId,
    'junction.entity.type': 'order',
    'junction.record.key': order.sourceId,
    'junction.outcome': 'created',
  });
  expect(one(spans, 'order.created process').attributes).toMatchObject({
    'junction.integration.id': order.integrationId,
    'junction.record.key': order.sourceId,
    'junction.commands': 1,
  });
  const command = one(spans, 'cmd.minicrm.order.upsert process');
  expectCommand(command, order, 'minicrm', 'order');
  expect(command.attributes['junction.external.id']).toBe(order.targetId);
  expectVendorCalls(spans, 'minicrm');

  // The scheduler's publish starts the run's trace, and the run links to the trace of each record it pulled: the
  // order it synced and the one that waits for its status.
  const record = one(spans, 'sync record shoprenter.orders');
  const waiting = one(
    await expectTrace(
      await traceOf(shop, order.integrationId, order.waitingId, 'waiting'),
      `
shoprenter INTERNAL sync record shoprenter.orders
  shoprenter PRODUCER order.created publish
    mapping CONSUMER order.created process`,
    ),
    'sync record shoprenter.orders',
  );
  const run = runOf(record);
  expect(runOf(waiting).spanId).toBe(run.spanId);
  expect(run.links.map((link) => link.spanId).sort()).toEqual([record.spanId, waiting.spanId].sort());
  expect(run.attributes).toMatchObject({ 'junction.integration.id': order.integrationId, 'junction.sync.reason': 'schedule' });
  const runSpans = await expectTrace(
    run.traceId,
    RUN_TREE(
      'shoprenter',
      'minicrm',
      'orders',
      ['GET /acme/languages', 'GET /acme/orderExtend', 'GET /acme/orders', 'GET /acme/orderStatusDescriptions', 'GET /acme/orderStatuses'],
      'scheduler',
    ),
    { distinctCalls: true },
  );
  expect(one(runSpans, 'sync.requested publish').attributes).toMatchObject({ 'messaging.message.id': expect.stringMatching(/^schedule:/) });
});

it('traces a ZZap order through mapping into RetailCRM as one trace, linked with its run', async () => {
  const traceId = await traceOf(zzap, zzapOrder.integrationId, zzapOrder.sourceId);
  expect(await traceOf(zzap, zzapOrder.integrationId, zzapOrder.targetId)).toBe(traceId);
  const spans = await expectTrace(
    traceId,
    `
zzap INTERNAL sync record zzap.orders
  zzap PRODUCER order.created publish
    mapping CONSUMER order.created process${COMMAND('retailcrm', 'order.upsert', [
      'GET /api/credentials',
      `GET /api/v5/orders/zzap-${zzapOrder.sourceId}`,
      'GET /api/v5/store/products',
      'POST /api/v5/orders/create',
    ])}`,
  );
  expect(one(spans, 'sync record zzap.orders').attributes).toMatchObject({
    'junction.integration.id': zzapOrder.integrationId,
    'junction.record.key': zzapOrder.sourceId,
    'junction.outcome': 'created',
  });
  const command = one(spans, 'cmd.retailcrm.order.upsert process');
  expectCommand(command, zzapOrder, 'retailcrm', 'order');
  expect(command.attributes['junction.external.id']).toBe(zzapOrder.targetId);
  // The natural-key lookup's 404 is a failed HTTP call by the conventions; the command still succeeded.
  const lookup = spans.find((span) => span.attributes['url.path'] === `/api/v5/orders/zzap-${zzapOrder.sourceId}`);
  expect(lookup?.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
  expectVendorCalls(spans, 'retailcrm');

  await expectTrace(
    runOf(one(spans, 'sync record zzap.orders')).traceId,
    RUN_TREE('zzap', 'retailcrm', 'orders', ['POST /webservice/datasharing.asmx/GetSellerOrdersV3']),
    { distinctCalls: true },
  );
});

/** Prometheus text as samples. */
function samples(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels = '', value] = /^([\w:]+)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      return { name, labels: Object.fromEntries([...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]])), value: Number(value) };
    });
}

/** What a service's Prometheus endpoint answers. */
async function exposition(service: string): Promise<string> {
  return (await fetch(`http://127.0.0.1:${prometheusPorts.get(service)}/metrics`)).text();
}

async function scrape(service: string) {
  const all = samples(await exposition(service));
  /** The value of the one sample with this name and (at least) these labels; undefined when there is none. */
  return (name: string, labels: Record<string, string> = {}) => {
    const found = all.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0]?.value;
  };
}

/** The total of every sample with this name and (at least) these labels. */
async function total(service: string, name: string, labels: Record<string, string>): Promise<number> {
  return samples(await exposition(service))
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** How a service describes these metrics: `# TYPE` and `# UNIT` (the instrument's OpenTelemetry unit). */
async function described(service: string, names: string[]): Promise<Record<string, string>> {
  const lines = (await exposition(service)).split('\n');
  const of = (kind: string, name: string) => lines.find((line) => line.startsWith(`# ${kind} ${name} `))?.slice(`# ${kind} ${name} `.length);
  return Object.fromEntries(names.map((name) => [name, `${of('TYPE', name)} ${of('UNIT', name)}`]));
}

it('shows the syncs in each service\'s Prometheus metrics with sensible values, and exports them over OTLP', async () => {
  const zm = await scrape('zomentum');
  const run = { integration: won.integrationId, connector: 'zomentum', stream: 'documents' };
  expect(zm('junction_sync_records_total', { integration: won.integrationId, connection: won.sourceConnectionId, entity: 'deal', outcome: 'updated' })).toBe(1);
  expect(zm('junction_sync_run_duration_count', { ...run, state: 'succeeded' })).toBe(1);
  expect(zm('junction_sync_run_duration_sum', { ...run, state: 'succeeded' })).toBeGreaterThan(0);
  expect(zm('junction_sync_lag', { ...run, connection: won.sourceConnectionId })).toBeGreaterThanOrEqual(0);
  expect(zm('junction_sync_lag', { ...run, connection: won.sourceConnectionId })).toBeLessThan(120);
  expect(zm('junction_vendor_requests_total', { vendor: 'zomentum', http_request_method: 'GET', http_response_status_code: '200' })).toBeGreaterThanOrEqual(7);
  expect(zm('junction_messaging_consumer_pending', { messaging_consumer_group_name: 'zomentum-sync' })).toBe(0);
  expect(zm('messaging_process_duration_count', { messaging_consumer_group_name: 'zomentum-sync', messaging_destination_name: 'sync.requested' })).toBe(1);

  const rs = await scrape('repairshopr');
  const writes = { integration: won.integrationId, connector: 'repairshopr', connection: won.targetConnectionId };
  const entries = { connector: 'repairshopr', connection: won.targetConnectionId };
  for (const [entity, count] of [['customer', 1], ['contact', 2], ['product', 3], ['estimate', 3]] as const) {
    expect(rs('junction_sync_writes_total', { ...writes, entity, outcome: 'created' })).toBe(count);
    expect(rs('junction_sync_record_latency_count', { ...writes, entity })).toBe(count);
    expect(rs('junction_id_map_entry_count', { ...entries, entity })).toBe(count);
  }
  expect(rs('junction_vendor_requests_total', { vendor: 'repairshopr', http_request_method: 'POST', http_response_status_code: '200' })).toBe(9);
  expect(rs('junction_vendor_requests_total', { vendor: 'repairshopr', http_request_method: 'GET', http_response_status_code: '404' })).toBe(3);
  // Every attempt takes its turn at the rate limiter first.
  expect(rs('junction_vendor_rate_limit_wait_count', { vendor: 'repairshopr' })).toBe(
    await total('repairshopr', 'junction_vendor_requests_total', { vendor: 'repairshopr' }),
  );
  for (const gauge of ['pending', 'ack_pending', 'redelivered']) {
    expect(rs(`junction_messaging_consumer_${gauge}`, { messaging_consumer_group_name: 'repairshopr-commands' })).toBe(0);
  }
  expect(rs('junction_messaging_redeliveries_total')).toBeUndefined();
  expect(rs('junction_messaging_dead_letters_total')).toBeUndefined();

  const sr = await scrape('shoprenter');
  expect(sr('junction_sync_records_total', { integration: order.integrationId, entity: 'order', outcome: 'created' })).toBe(2);
  const mc = await scrape('minicrm');
  expect(mc('junction_sync_writes_total', { integration: order.integrationId, entity: 'order', outcome: 'created' })).toBe(1);
  expect(mc('junction_id_map_entry_count', { connection: order.targetConnectionId, entity: 'order' })).toBe(1);

  // ZZap allows a call every 3.5 s: every call waited for its turn (how long depends on the time between them).
  const zz = await scrape('zzap');
  expect(zz('junction_sync_records_total', { integration: zzapOrder.integrationId, entity: 'order', outcome: 'created' })).toBe(1);
  const zzapCalls = await total('zzap', 'junction_vendor_requests_total', { vendor: 'zzap' });
  expect(zzapCalls).toBeGreaterThanOrEqual(2);
  expect(zz('junction_vendor_rate_limit_wait_count', { vendor: 'zzap' })).toBe(zzapCalls);
  expect(zz('junction_vendor_rate_limit_wait_sum', { vendor: 'zzap' })).toBeLessThan(3.5 * zzapCalls);
  const rc = await scrape('retailcrm');
  expect(rc('junction_sync_writes_total', { integration: zzapOrder.integrationId, entity: 'order', outcome: 'created' })).toBe(1);
  expect(rc('junction_vendor_requests_total', { vendor: 'retailcrm', http_request_method: 'POST', http_response_status_code: '201' })).toBe(1);

  // Mapping's own: the Shoprenter order waiting for its status, for about as long as the test has run.
  const shopMapping = await scrape('shop mapping');
  expect(shopMapping('junction_sync_waiting_count', { integration: order.integrationId })).toBe(1);
  expect(shopMapping('junction_sync_waiting_age', { integration: order.integrationId })).toBeGreaterThan(0);
  expect(shopMapping('junction_sync_waiting_age', { integration: order.integrationId })).toBeLessThan(300);
  expect(shopMapping('messaging_process_duration_count', { messaging_consumer_group_name: 'mapping-order-created' })).toBe(2);
  expect(await described('shop mapping', ['junction_sync_waiting_count', 'junction_sync_waiting_age'])).toEqual({
    junction_sync_waiting_count: 'gauge {record}',
    junction_sync_waiting_age: 'gauge s',
  });

  // The same instruments leave every service over OTLP too.
  await waitFor(async () => receiver.metricNames.get('mapping')?.has('junction.messaging.consumer.pending'), 10_000);
  expect([...(receiver.metricNames.get('mapping') ?? [])]).toEqual(expect.arrayContaining(['messaging.process.duration', 'junction.messaging.consumer.pending']));
  expect([...(receiver.metricNames.get('repairshopr') ?? [])]).toEqual(
    expect.arrayContaining(['junction.sync.writes', 'junction.id_map.entry.count', 'junction.vendor.requests', 'junction.vendor.rate_limit.wait']),
  );
});

/** The span of a system outside Junction that publishes an event. */
const CALLER_SPAN_ID = '00f067aa0ba902b7';

/**
 * Publishes a won deal of a Zomentum connection as a system outside Junction would, in a trace of its own: the
 * caller's span is CALLER_SPAN_ID of the returned trace.
 */
async function publishOutsideDeal(connectionId: string, deal: { sourceId: string } & Record<string, unknown>): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-outside-system', namespace: zomentum.namespace });
  try {
    const data = { number: `EXT-${deal.sourceId}`, title: 'Published from outside', currency: 'USD', contacts: [], lineItems: [], wonAt: new Date().toISOString(), ...deal };
    const source = { connector: 'zomentum', connectionId };
    await bus.publish(
      'deal.won',
      { id: `crm-export:${deal.sourceId}:won`, type: 'deal.won', version: 1, source, occurredAt: new Date().toISOString(), data },
      { headers: { traceparent: `00-${traceId}-${CALLER_SPAN_ID}-01` } },
    );
  } finally {
    await bus.close();
  }
  return traceId;
}

it("joins the caller's trace when an outside system publishes a deal.won with a traceparent", async () => {
  const sourceId = randomName('ext');
  const product = { sourceId: `${sourceId}-p1`, name: 'Outside laptop', category: 'Hardware', price: 900, billingPeriod: 'one_time' as const };
  const traceId = await publishOutsideDeal(won.sourceConnectionId, {
    sourceId,
    customer: { sourceId: `${sourceId}-c`, businessName: 'Outside Customer LLC', email: `${sourceId}@outside.example.com` },
    contacts: [{ sourceId: `${sourceId}-ct`, customerSourceId: `${sourceId}-c`, firstName: 'Olive', email: `olive.${sourceId}@outside.example.com` }],
    lineItems: [{ product, quantity: 2, unitPrice: 900, billingPeriod: 'one_time' }],
  });

  expect(await traceOf(zomentum, won.integrationId, sourceId)).toBe(traceId);
  const spans = await expectTrace(
    traceId,
    `
mapping CONSUMER deal.won process${[
      COMMAND('repairshopr', 'contact.ensure', ['GET /acme/api/v1/contacts', 'POST /acme/api/v1/contacts'], 1),
      COMMAND('repairshopr', 'customer.ensure', ['GET /acme/api/v1/customers', 'POST /acme/api/v1/customers'], 1),
      COMMAND('repairshopr', 'estimate.create', ['GET /acme/api/v1/estimates/0', 'POST /acme/api/v1/estimates'], 1),
      COMMAND('repairshopr', 'product.ensure', ['GET /acme/api/v1/products', 'POST /acme/api/v1/products'], 1),
    ].join('')}`,
  );
  expect(one(spans, 'deal.won process').parentSpanId).toBe(CALLER_SPAN_ID);
});

/** What a stack's service processes logged (the stack writes reports/e2e-logs/<namespace>-<service>.log). */
function logLines(stack: Stack<string>, services: ServiceName[]): string[] {
  return services.flatMap((service) =>
    readFileSync(join(__dirname, '..', '..', '..', 'reports', 'e2e-logs', `${stack.namespace}-${service}.log`), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
}

/**
 * RepairShopr in front of its sandbox, refusing the first customer it is asked to create as some vendors do: a 422
 * that quotes the e-mail address and phone number it refused and echoes the whole record.
 */
async function startRefusingRepairShopr(sandboxUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  let refused = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      if (!refused && request.method === 'POST' && request.url?.endsWith('/customers')) {
        refused = true;
        const customer = JSON.parse(body.toString('utf8'));
        const message = [`Email ${customer.email} has already been taken`, `Phone ${customer.phone} is not a mobile number`];
        response.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ success: false, message, params: customer }));
        return;
      }
      const { host: _host, connection: _connection, 'content-length': _length, ...headers } = request.headers;
      const answer = await fetch(`${sandboxUrl}${request.url}`, {
        method: request.method,
        headers: headers as Record<string, string>,
        body: body.length > 0 ? body : undefined,
      });
      const forwarded = ['content-type', 'retry-after'].flatMap((name) => (answer.headers.has(name) ? [[name, answer.headers.get(name) as string]] : []));
      response.writeHead(answer.status, Object.fromEntries(forwarded)).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const REFUSED = { email: 'olive.oneil@outside.example.com', phone: '+36 30 123 4567' };
let refusingRepairShopr: Awaited<ReturnType<typeof startRefusingRepairShopr>> | undefined;
/** The customer RepairShopr refused: its deal's trace and its dead letter. */
let refused: { integrationId: string; customerId: string; traceId: string; deadLetterSeq: number };

/** The refused customer's trace: its command dead-lettered, and `replay` under the dead letter once replayed. */
const REFUSED_TREE = (replay = '') => `
mapping CONSUMER deal.won process
  mapping PRODUCER cmd.repairshopr.customer.ensure publish
    repairshopr CONSUMER cmd.repairshopr.customer.ensure process
      repairshopr CLIENT GET /acme/api/v1/customers
      repairshopr CLIENT POST /acme/api/v1/customers
      repairshopr PRODUCER dlq.cmd.repairshopr.customer.ensure publish${replay}
      repairshopr PRODUCER record.failed publish
        mapping CONSUMER record.failed process`;

it('keeps the e-mail address and phone number a vendor quotes in its refusal out of every span and log line', async () => {
  refusingRepairShopr = await startRefusingRepairShopr(zomentum.repairshopr.url);
  const integration = await zomentum.createIntegration({ direction: 'push_only' });
  await zomentum.api('PATCH', `/v1/connections/repairshopr/${integration.targetConnectionId}`, {
    settings: { baseUrl: repairshoprSandbox.baseUrlFor(refusingRepairShopr.url, 'acme') },
  });
  const sourceId = randomName('refused');
  const customerId = `${sourceId}-c`;
  const customer = { sourceId: customerId, businessName: `Refused ${sourceId} LLC`, ...REFUSED };
  const traceId = await publishOutsideDeal(integration.sourceConnectionId, { sourceId, customer });

  const [letter] = await waitFor(async () => {
    const { deadLetters } = await zomentum.api<{ deadLetters: Array<{ seq: number; reason: string }> }>(
      'GET',
      '/v1/dead-letters?subject=cmd.repairshopr.customer.ensure',
    );
    return deadLetters.length > 0 ? deadLetters : undefined;
  }, 30_000);
  refused = { integrationId: integration.id, customerId, traceId, deadLetterSeq: letter.seq };
  // The vendor's words stay, for whoever fixes the data; what they quoted goes.
  expect(letter.reason).toBe(
    'repairshopr POST /customers failed: 422 Unprocessable Entity: Email [email] has already been taken; Phone [phone] is not a mobile number',
  );
  const spans = await expectTrace(traceId, REFUSED_TREE());
  expect(one(spans, 'cmd.repairshopr.customer.ensure process')).toMatchObject({ status: 2, statusMessage: undefined, attributes: { 'error.type': 'validation' } });

  const services: ServiceName[] = ['mapping', 'zomentum', 'repairshopr'];
  await waitFor(async () => logLines(zomentum, services).some((line) => line.includes('Email [email] has already been taken')), 10_000);
  for (const told of [...receiver.spans.map((span) => JSON.stringify(span)), ...logLines(zomentum, services)]) {
    expect(told).not.toContain(REFUSED.email);
    expect(told).not.toContain(REFUSED.phone);
  }

  // Mapping counts the dead letter for the DeadLetters alert.
  const zomentumMapping = await scrape('zomentum mapping');
  expect(zomentumMapping('junction_messaging_dead_letter_count', { messaging_destination_name: 'cmd.repairshopr.customer.ensure' })).toBe(1);
  expect(await described('zomentum mapping', ['junction_messaging_dead_letter_count'])).toEqual({ junction_messaging_dead_letter_count: 'gauge {message}' });
});

it("goes on in the refused customer's trace when its dead letter is replayed, linked with the request that asked", async () => {
  await zomentum.api('POST', `/v1/dead-letters/${refused.deadLetterSeq}/replay`);
  const replayed = COMMAND('repairshopr', 'customer.ensure', ['GET /acme/api/v1/customers', 'POST /acme/api/v1/customers'], 5);
  const spans = await expectTrace(refused.traceId, REFUSED_TREE(`\n        mapping INTERNAL dlq.cmd.repairshopr.customer.ensure replay${replayed}`));

  const replay = one(spans, 'dlq.cmd.repairshopr.customer.ensure replay');
  const request = await waitFor(async () => receiver.spans.find((span) => span.spanId === replay.links[0]?.spanId), 10_000);
  expect(request).toMatchObject({ service: 'mapping', kind: 'SERVER', name: 'POST', links: [{ traceId: refused.traceId, spanId: replay.spanId }] });
  // The customer written by the replay leads to this trace; no dead letter is left, so the DeadLetters alert clears.
  expect(await traceOf(zomentum, refused.integrationId, refused.customerId)).toBe(refused.traceId);
  const deadLetters = { messaging_destination_name: 'cmd.repairshopr.customer.ensure' };
  await waitFor(async () => (await scrape('zomentum mapping'))('junction_messaging_dead_letter_count', deadLetters) === 0, 10_000);
});

it('puts no credential, e-mail address or phone number into any span or log line', async () => {
  const secrets: string[] = [];
  const collect = (value: unknown, secretKey: boolean): void => {
    if (typeof value === 'string' && secretKey && value.length >= 6) secrets.push(value);
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) collect(inner, secretKey || /token|key|pass|secret/i.test(key));
    }
  };
  for (const seeded of [zomentumSandbox.SEEDED, repairshoprSandbox.SEEDED, shoprenterSandbox.SEEDED, minicrmSandbox.SEEDED, zzapSandbox.SEEDED, retailcrmSandbox.SEEDED]) {
    collect(seeded, false);
  }
  const phones: string[] = [];
  const collectPhones = (value: unknown, phoneKey: boolean): void => {
    if ((typeof value === 'string' || typeof value === 'number') && phoneKey && String(value).replace(/\D/g, '').length >= 6) phones.push(String(value));
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) collectPhones(inner, phoneKey || /phone|mobile|tel/i.test(key));
    }
  };
  for (const sandbox of [zomentum.zomentum, zomentum.repairshopr, shop.shoprenter, shop.minicrm, zzap.zzap, zzap.retailcrm]) {
    collectPhones(await sandbox.control.state(), false);
  }
  expect(secrets.length).toBeGreaterThanOrEqual(10);
  expect(phones.length).toBeGreaterThan(0);

  expect(receiver.spans.length).toBeGreaterThan(200);
  const told = [
    ...receiver.spans.map((span) => JSON.stringify([span.name, span.attributes, span.events, span.statusMessage])),
    ...logLines(zomentum, ['mapping', 'zomentum', 'repairshopr']),
    ...logLines(shop, ['mapping', 'scheduler', 'shoprenter', 'minicrm']),
    ...logLines(zzap, ['mapping', 'zzap', 'retailcrm']),
  ].join('\n');
  expect(told.match(/[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/gi) ?? []).toEqual([]);
  for (const secret of secrets) expect(told).not.toContain(secret);
  for (const phone of phones) expect(told).not.toContain(phone);
});
