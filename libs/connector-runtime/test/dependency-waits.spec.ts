import { randomUUID } from 'node:crypto';
import { IdMap, ParkedCommands } from '@junction/connector-kit';
import { commandSubject, messageId, sourceKey } from '@junction/contracts';
import { CollectingReader, createTestTelemetry } from '@junction/telemetry';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { FakeVendor } from './support/fake-vendor';
import { Harness, query, waitFor } from './support/harness';
import { testConnector, type TestRuntime } from './support/test-connector';

// A contact.ensure that arrives before its customer's customer.ensure waits for the customer in the connector's
// schema instead of being retried: it is written once, as soon as the customer is, without a failed delivery.

// Before the harness loads anything that takes a tracer.
const telemetry = createTestTelemetry();
const reader = new CollectingReader();
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

const vendor = new FakeVendor('tok-good-5eed5eed');
// Commands here may wait as long as the default allows; the sweep runs often so a restart is caught up quickly.
const patient = new Harness();
// Another schema and namespace, whose commands give up after a second of waiting.
const impatient = new Harness();
const INTEGRATION = 'int-zm-rs';
const CUSTOMER = commandSubject('repairshopr', 'customer.ensure');
const CONTACT = commandSubject('repairshopr', 'contact.ensure');
const connections = new Map<Harness, string>();
let runtime: TestRuntime;
let clients = 0;

beforeAll(async () => {
  await Promise.all([patient.open(), impatient.open()]);
  runtime = await patient.startRuntime(testConnector(vendor), { dependencySweepMs: 200, commandConcurrency: 4 });
  await impatient.startRuntime(testConnector(vendor), { dependencyWaitMs: 1_000, dependencySweepMs: 200 });
  for (const harness of [patient, impatient]) {
    connections.set(harness, await harness.createConnection('repairshopr', { apiToken: vendor.token }));
  }
});

afterAll(async () => {
  await Promise.all([patient.close(), impatient.close()]);
  await telemetry.shutdown();
  metrics.disable();
  await meterProvider.shutdown();
});

/** A Zomentum client's customer.ensure and the contact.ensure of one of its people, as mapping sends them. */
function newClient() {
  clients += 1;
  const clientKey = sourceKey('zomentum', 'zm-acme', 'client', `c-${clients}`);
  const contactKey = sourceKey('zomentum', 'zm-acme', 'client_user', `u-${clients}`);
  const email = `person${clients}@client${clients}.test`;
  const fields = { version: 1, source: { connector: 'mapping', connectionId: INTEGRATION }, integrationId: INTEGRATION, occurredAt: new Date().toISOString() };
  return {
    email,
    clientKey,
    customer: {
      ...fields,
      id: messageId(clientKey, 'ensure'),
      type: CUSTOMER,
      data: { sourceKey: clientKey, customer: { sourceId: `c-${clients}`, businessName: `Client ${clients}`, email: `office@client${clients}.test` } },
    },
    contact: {
      ...fields,
      id: messageId(contactKey, 'ensure'),
      type: CONTACT,
      data: { sourceKey: contactKey, customerSourceKey: clientKey, contact: { sourceId: `u-${clients}`, customerSourceId: `c-${clients}`, email } },
    },
  };
}

async function send(harness: Harness, envelope: { id: string; type: string }): Promise<void> {
  const target = { connector: 'repairshopr', connectionId: connections.get(harness) };
  // A new Nats-Msg-Id each time: a second send is a second copy, as a republish after the dedupe window would be.
  await harness.bus.publish(envelope.type, { ...envelope, target }, { msgId: randomUUID() });
}

async function outcomes(harness: Harness, subject: 'record.written' | 'record.failed', commandId: string) {
  const stored = await harness.stored('EVENTS', subject);
  return stored.filter((event) => event.envelope.data.commandId === commandId).map((event) => event.envelope);
}

const parkedRows = (harness: Harness, commandId: string) =>
  query(`SELECT * FROM "${harness.schema}".parked_commands WHERE command_id = $1`, [commandId]);

async function waitingGauge(awaiting: string): Promise<number | undefined> {
  const gauge = (await reader.byName()).get('junction.sync.waiting.count');
  const point = gauge?.dataPoints.find(
    (candidate) => candidate.attributes.connector === 'repairshopr' && candidate.attributes.awaiting === awaiting,
  );
  return point?.value as number | undefined;
}

it('waits for the customer it needs without spending a delivery, and is written once as soon as the customer is', async () => {
  const { customer, contact, email } = newClient();

  await send(patient, contact);
  await send(patient, contact);
  await waitFor(async () => (await parkedRows(patient, contact.id)).length === 1);
  await waitFor(async () => (await patient.unfinished('COMMANDS', 'repairshopr-commands')) === 0);
  expect(await waitingGauge('customer')).toBe(1);
  const [row] = await parkedRows(patient, contact.id);
  expect(row).toMatchObject({ entity_type: 'customer', source_key: customer.data.sourceKey, deliveries: 1 });
  expect(row.reason).toBe(`customer ${customer.data.sourceKey} is not at the vendor yet`);

  await send(patient, customer);
  const [written] = await waitFor(() => outcomes(patient, 'record.written', contact.id).then((found) => (found.length > 0 ? found : undefined)));

  const [created] = vendor.customers.filter((candidate) => candidate.email === customer.data.customer.email);
  expect(vendor.contacts.filter((candidate) => candidate.email === email)).toEqual([expect.objectContaining({ customerId: created.id })]);
  expect(written.data).toMatchObject({ entityType: 'contact', outcome: 'created' });
  await waitFor(async () => (await patient.unfinished('COMMANDS', 'repairshopr-commands')) === 0);
  expect(await outcomes(patient, 'record.written', contact.id)).toHaveLength(1);
  expect(await outcomes(patient, 'record.failed', contact.id)).toEqual([]);
  expect(await patient.bus.listDeadLetters({ subject: CONTACT })).toEqual([]);
  expect(await parkedRows(patient, contact.id)).toEqual([]);
  expect(await waitingGauge('customer')).toBe(0);
  // Neither copy was nak'd: waiting is not a failed delivery.
  expect(patient.logLines.filter((line) => line.includes('will retry'))).toEqual([]);
  const deliveries = telemetry.spans().filter((span) => span.name === `${CONTACT} process` && span.attributes['messaging.message.id'] !== undefined);
  expect(deliveries.map((span) => span.attributes['messaging.nats.delivery_count'])).toEqual([1, 1, 1]);

  // The release goes on in the trace of the delivery that had to wait.
  const [released] = (await patient.stored('COMMANDS', CONTACT)).filter((message) => message.headers['Nats-Msg-Id'].startsWith('released:'));
  const parkedTrace = (row.trace_context as { traceparent: string }).traceparent.split('-')[1];
  expect(released.envelope.id).toBe(contact.id);
  expect(released.headers.traceparent.split('-')[1]).toBe(parkedTrace);
});

it('waits in the process for a customer another command is writing, instead of parking', async () => {
  const { customer, contact, email } = newClient();
  let customerCreating!: () => void;
  const creating = new Promise<void>((resolve) => (customerCreating = resolve));
  let finishCreate!: () => void;
  vendor.beforeCreate = () => {
    customerCreating();
    return new Promise((resolve) => (finishCreate = resolve));
  };
  try {
    await send(patient, customer);
    await creating;
    await send(patient, contact);
    // The contact finds no customer yet, sees the customer's command running and waits for it.
    await waitFor(async () => patient.logLines.some((line) => line.includes(contact.id) && line.includes('waiting for a record a command of this process is writing')));
  } finally {
    vendor.beforeCreate = async () => undefined;
    finishCreate?.();
  }

  await waitFor(() => outcomes(patient, 'record.written', contact.id).then((found) => found.length > 0));
  const [created] = vendor.customers.filter((candidate) => candidate.email === customer.data.customer.email);
  expect(vendor.contacts.filter((candidate) => candidate.email === email)).toEqual([expect.objectContaining({ customerId: created.id })]);
  // Never parked: no waiting row, no release, no second delivery.
  expect(patient.logLines.filter((line) => line.includes(contact.id) && line.includes('command waits for a record it needs'))).toEqual([]);
  expect((await patient.stored('COMMANDS', CONTACT)).filter((message) => message.envelope.id === contact.id)).toHaveLength(1);
  expect(await parkedRows(patient, contact.id)).toEqual([]);
});

it('looks for waiting commands only after writing a record of a type commands wait for', async () => {
  const { customer, contact } = newClient();
  const awaits = jest.spyOn(ParkedCommands.prototype, 'awaits');
  try {
    await send(patient, customer);
    await send(patient, contact);
    await waitFor(() => outcomes(patient, 'record.written', contact.id).then((found) => found.length > 0));

    const looked = awaits.mock.calls.map(([keys]) => `${keys.entityType} ${keys.sourceKeys.join(',')}`);
    expect(looked).toContain(`customer ${customer.data.sourceKey}`);
    expect(looked.filter((call) => call.startsWith('contact '))).toEqual([]);
  } finally {
    awaits.mockRestore();
  }
});

it('runs what waited while the service was down once it starts again', async () => {
  const { customer, contact, email } = newClient();
  await send(patient, contact);
  await waitFor(async () => (await parkedRows(patient, contact.id)).length === 1);

  await runtime.stop();
  // Meanwhile another replica wrote the customer and died before it could release anything.
  const customerId = await vendor.createCustomer(vendor.token, { name: 'Client', email: customer.data.customer.email });
  const connectionId = connections.get(patient)!;
  await new IdMap(patient.dataSource).record({
    connectionId,
    entityType: 'customer',
    sourceKey: customer.data.sourceKey,
    externalId: String(customerId),
    origin: 'written',
  });
  runtime = await patient.startRuntime(testConnector(vendor), { dependencySweepMs: 200, commandConcurrency: 4 });

  await waitFor(() => outcomes(patient, 'record.written', contact.id).then((found) => found.length > 0));
  expect(vendor.contacts.filter((candidate) => candidate.email === email)).toEqual([expect.objectContaining({ customerId })]);
  expect(await parkedRows(patient, contact.id)).toEqual([]);
});

it('dead-letters a command whose customer never comes after the configured wait, naming the customer', async () => {
  const { customer, contact, email } = newClient();

  await send(impatient, contact);
  const [letter] = await waitFor(() => impatient.bus.listDeadLetters({ subject: CONTACT }).then((found) => (found.length > 0 ? found : undefined)));

  expect(letter).toMatchObject({ consumer: 'repairshopr-commands', stream: 'COMMANDS', deliveries: 1 });
  expect(letter.reason).toBe(
    `gave up after waiting 1 s for a record it needs: customer ${customer.data.sourceKey} is not at the vendor yet`,
  );
  expect(JSON.parse(letter.payload)).toMatchObject({ id: contact.id, data: contact.data });
  const [failed] = await waitFor(() => outcomes(impatient, 'record.failed', contact.id).then((found) => (found.length > 0 ? found : undefined)));
  expect(failed.data).toMatchObject({
    entityType: 'contact',
    sourceKey: contact.data.sourceKey,
    error: { code: 'dependency_missing', message: letter.reason, retryable: false },
  });
  // record.failed goes out inside the sweep's transaction; the row is deleted when that commits.
  expect(await waitFor(async () => ((await parkedRows(impatient, contact.id)).length === 0 ? [] : undefined))).toEqual([]);

  // Once the customer is there, the replayed dead letter writes the contact.
  await send(impatient, customer);
  await waitFor(() => outcomes(impatient, 'record.written', customer.id).then((found) => found.length > 0));
  await impatient.bus.replayDeadLetter(letter.seq);
  await waitFor(() => outcomes(impatient, 'record.written', contact.id).then((found) => found.length > 0));
  expect(vendor.contacts.filter((candidate) => candidate.email === email)).toHaveLength(1);
});
