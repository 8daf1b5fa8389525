import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import * as zzapSandbox from '@junction/sandbox-zzap';
import { startShopToCrm, type ShopToCrm } from './shoprenter-minicrm';
import type { Stack } from './stack';
import { NATS_URL, randomName, waitFor } from './support';
import { Bus } from '@junction/messaging';
import { seedWonQuote, startJunction, type Junction } from './zomentum-repairshopr';
import { startZzapToCrm, statusMap as zzapStatusMap, type ZzapToCrm } from './zzap-retailcrm';

// Observability end to end: every service runs as a process exporting traces (OTLP/HTTP JSON) to a receiver in this
// test and serving Prometheus metrics. One sync per integration must arrive as one trace per synced record, parent
// to child across every NATS hop and into the vendor calls, linked with the trace of its sync run; the control API
// leads from a vendor id to that trace; no credential, e-mail or phone number is in any span; and a scrape shows
// the sync's metrics.

/** A span as it arrived over OTLP/JSON, flattened. */
interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
  attributes: Record<string, unknown>;
  links: Array<{ traceId: string; spanId: string }>;
  status: number;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
}

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

type OtlpValue = { stringValue?: string; intValue?: string | number; doubleValue?: number; boolValue?: boolean; arrayValue?: { values?: OtlpValue[] } };
type OtlpAttribute = { key: string; value: OtlpValue };

function valueOf(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

function attributesOf(list: OtlpAttribute[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));
}

/** A minimal OTLP/HTTP receiver: JSON traces and metrics, as the services' exporters send them. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metricNames = new Map<string, Set<string>>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = JSON.parse((request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8'));
        if (request.url === '/v1/traces') this.receiveTraces(body);
        if (request.url === '/v1/metrics') this.receiveMetrics(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private receiveTraces(body: any): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            service,
            scope: scopeSpans.scope?.name ?? '',
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId || undefined,
            name: span.name,
            kind: KINDS[span.kind ?? 0] as ReceivedSpan['kind'],
            attributes: attributesOf(span.attributes),
            links: (span.links ?? []).map((link: { traceId: string; spanId: string }) => ({ traceId: link.traceId, spanId: link.spanId })),
            status: span.status?.code ?? 0,
            events: (span.events ?? []).map((event: { name: string; attributes?: OtlpAttribute[] }) => ({
              name: event.name,
              attributes: attributesOf(event.attributes),
            })),
          });
        }
      }
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private receiveMetrics(body: any): void {
    for (const resourceMetrics of body.resourceMetrics ?? []) {
      const service = String(attributesOf(resourceMetrics.resource?.attributes)['service.name']);
      const names = this.metricNames.get(service) ?? new Set<string>();
      for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
        for (const metric of scopeMetrics.metrics ?? []) names.add(metric.name);
      }
      this.metricNames.set(service, names);
    }
  }
}

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

/** A port for each connector's /metrics: services read `<SERVICE>_PROMETHEUS_PORT` (each stack runs its own mapping). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
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
let order: Synced;
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

/** Shoprenter -> MiniCRM: the shop's one order. */
async function syncShopOrder(): Promise<Synced> {
  const shopId = (await shop.connectShop()).id;
  const crmId = (await shop.connectCrm()).id;
  const integration = await shop.createIntegration(shopId, crmId, { statusMap: await shop.statusMap(shopId, crmId) });
  await shop.api('POST', `/v1/integrations/${integration.id}/sync`);
  await shop.finishedRuns(integration.id, ['orders'], 1);
  const [crmOrder] = await waitFor(async () => ((await shop.crmState()).orders.length === 1 ? (await shop.crmState()).orders : undefined), 30_000);
  const [shopOrder] = await shop.shopOrders();
  return { integrationId: integration.id, sourceConnectionId: shopId, targetConnectionId: crmId, sourceId: String(shopOrder.innerId), targetId: String(crmOrder.Id) };
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
  [zomentum, shop, zzap] = await Promise.all([
    startJunction(
      { repairshopr: { customers: 0, productsPerCategory: 0, estimates: 0 }, zomentum: { documents: 0 } },
      { processes: ['mapping', 'zomentum', 'repairshopr'] },
    ),
    startShopToCrm({ shoprenter: { orders: 1 } }, { processes: ['mapping', 'shoprenter', 'minicrm'] }),
    startZzapToCrm({ zzap: { orders: 1, statusChanges: false } }, { processes: ['mapping', 'zzap', 'retailcrm'] }),
  ]);
  // One sync per integration, side by side: ZZap's pacing (a call every 3.5 s) sets the pace.
  [won, order, zzapOrder] = await Promise.all([syncWonQuote(), syncShopOrder(), syncZzapOrder()]);
}, 90_000);

afterAll(async () => {
  await Promise.all([zomentum?.close(), shop?.close(), zzap?.close()]);
  await receiver.close();
  process.env = saved;
});

/** The trace id the control API stored for a vendor record (found by its id on either side) once it was written. */
async function traceOf(stack: Stack<string>, integrationId: string, vendorId: string): Promise<string> {
  return waitFor(async () => {
    const { records } = await stack.api<{ records: Array<{ state: string; traceId: string | null }> }>(
      'GET',
      `/v1/integrations/${integrationId}/records?vendorId=${encodeURIComponent(vendorId)}`,
    );
    return records.find((record) => record.state === 'written')?.traceId ?? undefined;
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

const RUN_TREE = (connector: string, target: string, stream: string, calls: string[]) => `
mapping SERVER POST
  mapping PRODUCER sync.requested publish
    ${target} CONSUMER sync.requested process
    ${connector} CONSUMER sync.requested process
      ${connector} INTERNAL sync run ${connector}.${stream}
${calls.map((call) => `        ${connector} CLIENT ${call}`).join('\n')}
        ${connector} PRODUCER sync.run.updated publish
          mapping CONSUMER sync.run.updated process
        ${connector} PRODUCER sync.run.updated publish
          mapping CONSUMER sync.run.updated process
        ${connector} PRODUCER sync.run.updated publish
          mapping CONSUMER sync.run.updated process`;

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
  COMMAND('repairshopr', 'customer.ensure', ['GET /acme/api/v1/customers', 'GET /acme/api/v1/customers', 'POST /acme/api/v1/customers']),
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

it('traces a Shoprenter order through mapping into MiniCRM as one trace, linked with its run', async () => {
  const traceId = await traceOf(shop, order.integrationId, order.targetId);
  expect(await traceOf(shop, order.integrationId, order.sourceId)).toBe(traceId);
  const spans = await expectTrace(
    traceId,
    `
shoprenter INTERNAL sync record shoprenter.orders
  shoprenter PRODUCER order.created publish
    mapping CONSUMER order.created process${COMMAND('minicrm', 'order.upsert', [
      'GET /Api/R3/Category',
      'GET /Api/R3/Contact',
      'GET /Api/R3/Project',
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

  await expectTrace(
    runOf(one(spans, 'sync record shoprenter.orders')).traceId,
    RUN_TREE('shoprenter', 'minicrm', 'orders', [
      'GET /acme/languages',
      'GET /acme/orderExtend',
      'GET /acme/orders',
      'GET /acme/orderStatusDescriptions',
      'GET /acme/orderStatuses',
    ]),
    { distinctCalls: true },
  );
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

async function scrape(service: string) {
  const all = samples(await (await fetch(`http://127.0.0.1:${prometheusPorts.get(service)}/metrics`)).text());
  /** The value of the one sample with this name and (at least) these labels; undefined when there is none. */
  return (name: string, labels: Record<string, string> = {}) => {
    const found = all.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
    expect(found.length).toBeLessThanOrEqual(1);
    return found[0]?.value;
  };
}

/** The total of every sample with this name and (at least) these labels. */
async function total(service: string, name: string, labels: Record<string, string>): Promise<number> {
  const all = samples(await (await fetch(`http://127.0.0.1:${prometheusPorts.get(service)}/metrics`)).text());
  return all
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
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
    expect(rs('junction_id_map_entries', { ...entries, entity })).toBe(count);
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
  expect(sr('junction_sync_records_total', { integration: order.integrationId, entity: 'order', outcome: 'created' })).toBe(1);
  const mc = await scrape('minicrm');
  expect(mc('junction_sync_writes_total', { integration: order.integrationId, entity: 'order', outcome: 'created' })).toBe(1);
  expect(mc('junction_id_map_entries', { connection: order.targetConnectionId, entity: 'order' })).toBe(1);

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

  // The same instruments leave every service over OTLP too (mapping's included, which has no scrape port here).
  await waitFor(async () => receiver.metricNames.get('mapping')?.has('junction.messaging.consumer.pending'), 10_000);
  expect([...(receiver.metricNames.get('mapping') ?? [])]).toEqual(expect.arrayContaining(['messaging.process.duration', 'junction.messaging.consumer.pending']));
  expect([...(receiver.metricNames.get('repairshopr') ?? [])]).toEqual(
    expect.arrayContaining(['junction.sync.writes', 'junction.id_map.entries', 'junction.vendor.requests', 'junction.vendor.rate_limit.wait']),
  );
});

it("joins the caller's trace when an outside system publishes a deal.won with a traceparent", async () => {
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = '00f067aa0ba902b7';
  const sourceId = randomName('ext');
  const product = { sourceId: `${sourceId}-p1`, name: 'Outside laptop', category: 'Hardware', price: 900, billingPeriod: 'one_time' as const };
  const bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-outside-system', namespace: zomentum.namespace });
  try {
    await bus.publish(
      'deal.won',
      {
        id: `crm-export:${sourceId}:won`,
        type: 'deal.won',
        version: 1,
        source: { connector: 'zomentum', connectionId: won.sourceConnectionId },
        occurredAt: new Date().toISOString(),
        data: {
          sourceId,
          number: `EXT-${sourceId}`,
          title: 'Published from outside',
          currency: 'USD',
          customer: { sourceId: `${sourceId}-c`, businessName: 'Outside Customer LLC', email: `${sourceId}@outside.example.com` },
          contacts: [{ sourceId: `${sourceId}-ct`, customerSourceId: `${sourceId}-c`, firstName: 'Olive', email: `olive.${sourceId}@outside.example.com` }],
          lineItems: [{ product, quantity: 2, unitPrice: 900, billingPeriod: 'one_time' }],
          wonAt: new Date().toISOString(),
        },
      },
      { headers: { traceparent: `00-${traceId}-${callerSpanId}-01` } },
    );
  } finally {
    await bus.close();
  }

  expect(await traceOf(zomentum, won.integrationId, sourceId)).toBe(traceId);
  const spans = await expectTrace(
    traceId,
    `
mapping CONSUMER deal.won process${[
      COMMAND('repairshopr', 'contact.ensure', ['GET /acme/api/v1/contacts', 'POST /acme/api/v1/contacts'], 1),
      COMMAND('repairshopr', 'customer.ensure', ['GET /acme/api/v1/customers', 'GET /acme/api/v1/customers', 'POST /acme/api/v1/customers'], 1),
      COMMAND('repairshopr', 'estimate.create', ['GET /acme/api/v1/estimates/0', 'POST /acme/api/v1/estimates'], 1),
      COMMAND('repairshopr', 'product.ensure', ['GET /acme/api/v1/products', 'POST /acme/api/v1/products'], 1),
    ].join('')}`,
  );
  expect(one(spans, 'deal.won process').parentSpanId).toBe(callerSpanId);
});

it('puts no credential, e-mail address or phone number into any span', async () => {
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
  const told = receiver.spans.map((span) => JSON.stringify([span.name, span.attributes, span.events])).join('\n');
  expect(told.match(/[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}/gi) ?? []).toEqual([]);
  for (const secret of secrets) expect(told).not.toContain(secret);
  for (const phone of phones) expect(told).not.toContain(phone);
});
