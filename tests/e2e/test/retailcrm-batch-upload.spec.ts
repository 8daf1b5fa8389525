import { randomUUID } from 'node:crypto';
import { IdMap } from '@junction/connector-kit';
import { ConnectorRuntime, type ConnectorDefinition } from '@junction/connector-runtime';
import { commandSubject, ConnectionView, ControlReply, controlSubject, messageId, type Envelope } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { startSandbox, type RequestLogEntry, type RunningSandbox } from '@junction/sandbox-kit';
import { createSandbox, SEEDED, type Order } from '@junction/sandbox-retailcrm';
import { SecretBox } from '@junction/secrets';
import { createLogger, createTestTelemetry } from '@junction/telemetry';
import type { DataSource } from 'typeorm';
import { deleteNamespaceStreams, loadService, NATS_URL, openKitSchema, randomName, waitFor } from './support';

// The RetailCRM connector's batch path on real Postgres and NATS: order.upsert commands waiting together go to
// RetailCRM 50 at a time through /orders/upload, each still written once, reported once and failed alone.

type Settings = { url: string };
type Credentials = { apiKey: string };
const { retailcrm } = loadService<{ retailcrm: ConnectorDefinition<Settings, Credentials> }>('retailcrm');
const SUBJECT = commandSubject('retailcrm', 'order.upsert');
const site = SEEDED.sites.zzap;
const SLOW = 120_000;
const telemetry = createTestTelemetry();

let sandbox: RunningSandbox;
let kit: { dataSource: DataSource; drop(): Promise<void> };
let bus: Bus;
let runtime: ConnectorRuntime<Settings, Credentials>;
let connectionId: string;
const namespace = randomName('t');

beforeAll(async () => {
  sandbox = await startSandbox(createSandbox());
  kit = await openKitSchema();
  const logger = createLogger({ service: 'e2e', level: 'silent' });
  bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-retailcrm-batch', namespace, logger });
  await bus.ensureStreams();
  // A batch that is not full waits a second for more: long enough that a loaded machine never splits one.
  runtime = new ConnectorRuntime(retailcrm, { dataSource: kit.dataSource, bus, logger, cipher: new SecretBox(SecretBox.generateKey()), commandBatchLingerMs: 1_000 });
  await runtime.start();
  const upsert = { name: 'Parts CRM', settings: { url: sandbox.url }, credentials: { apiKey: SEEDED.apiKeys.junction } };
  const reply = ControlReply(ConnectionView).parse(await bus.request(controlSubject('retailcrm', 'upsert'), upsert, (raw) => raw, { timeoutMs: 15_000 }));
  if (!reply.ok) throw new Error(reply.error.message);
  connectionId = reply.data.id;
}, SLOW);

afterAll(async () => {
  await runtime?.stop();
  await bus?.close();
  await deleteNamespaceStreams(namespace);
  await kit?.drop();
  await sandbox?.close();
  await telemetry.shutdown();
});

/** An order.upsert as mapping sends it for a ZZap order; its id is derived from the source order, as mapping's is. */
function upsert(orderId: string, options: { status?: string } = {}) {
  const sourceKey = `zzap:zz1:order:${orderId}`;
  return {
    id: messageId(sourceKey, 'upsert'),
    type: SUBJECT,
    version: 1,
    source: { connector: 'mapping', connectionId: 'int-zzap-crm' },
    target: { connector: 'retailcrm', connectionId },
    integrationId: 'int-zzap-crm',
    occurredAt: new Date().toISOString(),
    data: {
      sourceKey,
      destination: site,
      productMatching: 'article',
      ...(options.status ? { targetStatus: { id: options.status, name: options.status } } : {}),
      order: {
        sourceId: orderId,
        number: orderId,
        status: { id: '1', name: 'Новый' },
        customer: { firstName: 'Pavel', lastName: 'Sidorov' },
        items: [{ name: 'Brake pad set', article: `ART-${(Number(orderId) % 3) + 1}`, brand: 'Bosch', quantity: 1, unitPrice: 1500 }],
        totals: { currency: 'RUB', subtotal: 1500, total: 1500 },
        coupons: [],
        createdAt: '2024-09-23T18:00:00+03:00',
      },
    },
  };
}

type Command = ReturnType<typeof upsert>;

/** Publishes the commands; a fresh Nats-Msg-Id each time, so a second publish is a replay JetStream keeps. */
async function publish(commands: Command[]): Promise<void> {
  await Promise.all(commands.map((command) => bus.publish(SUBJECT, command, { msgId: randomUUID() })));
}

async function published(subject: 'record.written' | 'record.failed'): Promise<Envelope[]> {
  const name = bus.streamName('EVENTS');
  const { state } = await bus.jsm.streams.info(name);
  const envelopes: Envelope[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const message = await bus.jsm.streams.getMessage(name, { seq });
    if (message?.subject === bus.subject(subject)) envelopes.push(message.json<Envelope>());
  }
  return envelopes;
}

/** The outcomes reported for these commands, once every one of them has one. */
async function outcomes(commands: Command[]): Promise<Map<string, Envelope<{ outcome?: string; externalId?: string; error?: { message: string } }>>> {
  const ids = new Set(commands.map((command) => command.id));
  return waitFor(async () => {
    const reported = [...(await published('record.written')), ...(await published('record.failed'))].filter((event) => ids.has(event.causationId ?? ''));
    const byCommand = new Map(reported.map((event) => [event.causationId ?? '', event as Envelope<{ outcome?: string; externalId?: string; error?: { message: string } }>]));
    return byCommand.size === ids.size && byCommand;
  }, 60_000, 250);
}

const callsTo = (log: RequestLogEntry[], method: string, path: string) => log.filter((entry) => entry.method === method && entry.path === `/api/v5${path}`);
const crmOrders = async (externalIds: string[]) => (await sandbox.control.records<Order>('orders')).filter((order) => order.externalId && externalIds.includes(order.externalId));
const externalIdsOf = (commands: Command[]) => commands.map((command) => `zzap-${command.data.order.sourceId}`);

it('creates 120 waiting orders in 3 upload calls, maps each one and reports each command once; a replay writes nothing', async () => {
  await sandbox.control.reset();
  const commands = Array.from({ length: 120 }, (_, n) => upsert(String(1000 + n)));

  await publish(commands);
  const reported = await outcomes(commands);

  const log = await sandbox.control.requests();
  expect(callsTo(log, 'POST', '/orders/upload')).toHaveLength(Math.ceil(120 / 50));
  expect(callsTo(log, 'POST', '/orders/create')).toHaveLength(0);
  const created = await crmOrders(externalIdsOf(commands));
  expect(created).toHaveLength(120);
  const idMap = new IdMap(kit.dataSource);
  for (const command of commands) {
    const order = created.find((candidate) => candidate.externalId === `zzap-${command.data.order.sourceId}`);
    expect((await idMap.find(connectionId, 'order', command.data.sourceKey))?.externalId).toBe(String(order?.id));
    expect(reported.get(command.id)).toMatchObject({ type: 'record.written', data: { outcome: 'created', externalId: String(order?.id) } });
  }
  // A product search per article, shared by every order of a batch.
  expect(callsTo(log, 'GET', '/store/products').length).toBeLessThanOrEqual(3 * Math.ceil(120 / 50));

  // Each command keeps its own delivery span with its outcome; it and its batch's span (which holds the upload) link
  // to each other.
  const spans = telemetry.spans();
  const batches = spans.filter((span) => span.name === 'cmd.retailcrm.order.upsert batch');
  expect(batches.map((batch) => batch.attributes['messaging.batch.message_count']).sort()).toEqual([20, 50, 50]);
  for (const batch of batches) {
    const upload = spans.find((span) => span.parentSpanContext?.spanId === batch.spanContext().spanId && span.attributes['url.path'] === '/api/v5/orders/upload');
    expect(upload?.spanContext().traceId).toBe(batch.spanContext().traceId);
    expect(batch.links).toHaveLength(batch.attributes['messaging.batch.message_count'] as number);
  }
  const deliveries = spans.filter((span) => span.name === `${SUBJECT} process` && commands.some((command) => command.data.sourceKey === span.attributes['junction.source.key']));
  expect(deliveries).toHaveLength(120);
  for (const delivery of deliveries) {
    expect(delivery.attributes['junction.outcome']).toBe('created');
    const [link] = delivery.links;
    expect(batches.map((batch) => batch.spanContext().spanId)).toContain(link?.context.spanId);
  }

  const since = log.at(-1)?.seq ?? 0;
  await publish(commands);
  await waitFor(async () => (await runtimeIdle()) && true, 30_000, 250);
  expect(await sandbox.control.requests(since)).toEqual([]);
  expect(await crmOrders(externalIdsOf(commands))).toHaveLength(120);
  expect((await published('record.written')).filter((event) => commands.some((command) => command.id === event.causationId))).toHaveLength(120);
}, SLOW);

it('redelivers a batch whose upload answer was lost and finds its orders instead of creating them again', async () => {
  await sandbox.control.reset();
  await sandbox.control.setFaults({ rules: [{ kind: 'lose-response', methods: ['POST'], pathPrefix: '/api/v5/orders/upload', count: 1 }] });
  const commands = Array.from({ length: 10 }, (_, n) => upsert(String(2000 + n)));

  await publish(commands);
  const reported = await outcomes(commands);

  const created = await crmOrders(externalIdsOf(commands));
  expect(created).toHaveLength(10);
  expect([...reported.values()].map((event) => event.data.outcome)).toEqual(Array(10).fill('found_existing'));
  const log = await sandbox.control.requests();
  expect(callsTo(log, 'POST', '/orders/upload')[0].faults).toEqual(['lose-response']);
  expect(callsTo(log, 'POST', '/orders/create')).toHaveLength(0);
  const idMap = new IdMap(kit.dataSource);
  for (const command of commands) {
    const order = created.find((candidate) => candidate.externalId === `zzap-${command.data.order.sourceId}`);
    expect((await idMap.find(connectionId, 'order', command.data.sourceKey))?.externalId).toBe(String(order?.id));
  }
}, SLOW);

it('fails only the order RetailCRM refuses, with its own error and dead letter', async () => {
  await sandbox.control.reset();
  const commands = [upsert('3001'), upsert('3002', { status: 'no-such-status' }), upsert('3003'), upsert('3004')];
  const refused = commands[1];

  await publish(commands);
  const reported = await outcomes(commands);

  expect(reported.get(refused.id)).toMatchObject({
    type: 'record.failed',
    data: { sourceKey: refused.data.sourceKey, error: { code: 'validation', retryable: false, message: expect.stringContaining('Status "no-such-status" does not exist') } },
  });
  for (const command of commands.filter((candidate) => candidate !== refused)) {
    expect(reported.get(command.id)).toMatchObject({ type: 'record.written', data: { outcome: 'created' } });
  }
  expect((await crmOrders(externalIdsOf(commands))).map((order) => order.externalId).sort()).toEqual(['zzap-3001', 'zzap-3003', 'zzap-3004']);
  const letters = await bus.listDeadLetters({ subject: SUBJECT });
  expect(letters.filter((letter) => letter.payload.includes(refused.data.sourceKey)).map((letter) => letter.reason)).toEqual([
    expect.stringContaining('Status "no-such-status" does not exist'),
  ]);
  const log = await sandbox.control.requests();
  expect(callsTo(log, 'POST', '/orders/upload')).toHaveLength(1);
  // The refused order alone, for its own answer.
  expect(callsTo(log, 'POST', '/orders/create').map((entry) => entry.status)).toEqual([400]);
}, SLOW);

it('creates a command that arrives alone with /orders/create', async () => {
  await sandbox.control.reset();
  const command = upsert('4001', { status: 'client-confirmed' });

  await publish([command]);
  const reported = await outcomes([command]);

  expect(reported.get(command.id)).toMatchObject({ type: 'record.written', data: { outcome: 'created' } });
  const log = await sandbox.control.requests();
  expect(callsTo(log, 'POST', '/orders/upload')).toHaveLength(0);
  expect(callsTo(log, 'POST', '/orders/create')).toHaveLength(1);
  expect(await crmOrders(['zzap-4001'])).toEqual([expect.objectContaining({ status: 'client-confirmed', site })]);
}, SLOW);

/** Every command delivered so far is settled. */
async function runtimeIdle(): Promise<boolean> {
  const info = await bus.jsm.consumers.info(bus.streamName('COMMANDS'), runtime.durables.commands);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}
