import { randomUUID } from 'node:crypto';
import { IdMap } from '@junction/connector-kit';
import { commandSubject, messageId, sourceKey } from '@junction/contracts';
import { FakeVendor } from './support/fake-vendor';
import { Harness, query, waitFor } from './support/harness';
import { testConnector } from './support/test-connector';

const harness = new Harness();
const vendor = new FakeVendor('tok-good-77aa88bb');
const COMMANDS_DURABLE = 'repairshopr-commands';
const SUBJECT = commandSubject('repairshopr', 'customer.ensure');
let connectionId: string;

beforeAll(async () => {
  await harness.open();
  await harness.startRuntime(testConnector(vendor));
  connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
});

afterAll(() => harness.close());

/** A customer.ensure as the mapping service sends it for a Zomentum client. */
function customerEnsure(clientId: string, email: string) {
  const key = sourceKey('zomentum', 'zm-acme', 'client', clientId);
  return {
    id: messageId(key, 'ensure'),
    type: SUBJECT,
    version: 1,
    source: { connector: 'mapping', connectionId: 'int-zm-rs' },
    integrationId: 'int-zm-rs',
    occurredAt: new Date().toISOString(),
    data: { sourceKey: key, customer: { sourceId: clientId, businessName: `Client ${clientId}`, email } },
  };
}

async function send(envelope: { id: string }, target = connectionId, msgId = randomUUID()): Promise<void> {
  await harness.bus.publish(SUBJECT, { ...envelope, target: { connector: 'repairshopr', connectionId: target } }, { msgId });
}

async function outcomes(subject: 'record.written' | 'record.failed', commandId: string) {
  const stored = await harness.stored('EVENTS', subject);
  return stored.filter((event) => event.envelope.data.commandId === commandId).map((event) => event.envelope);
}

function settled(): Promise<boolean> {
  return waitFor(async () => (await harness.unfinished('COMMANDS', COMMANDS_DURABLE)) === 0);
}

describe('a command', () => {
  it('processed twice (outside the dedupe window) creates the vendor record once', async () => {
    const command = customerEnsure('c-100', 'c100@client.test');
    const createsBefore = vendor.createCalls;

    // Different Nats-Msg-Ids: JetStream stores both, as it would a replay a day later.
    await send(command);
    await send(command);
    await settled();

    expect(vendor.createCalls - createsBefore).toBe(1);
    expect(vendor.customers.filter((customer) => customer.email === 'c100@client.test')).toHaveLength(1);
    const written = await outcomes('record.written', command.id);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      id: messageId(command.id, 'written'),
      causationId: command.id,
      integrationId: 'int-zm-rs',
      source: { connector: 'repairshopr', connectionId },
      data: {
        connector: 'repairshopr',
        connectionId,
        entityType: 'customer',
        sourceKey: command.data.sourceKey,
        outcome: 'created',
      },
    });
    const inbox = await query(`SELECT message_id FROM "${harness.schema}".inbox WHERE message_id = $1`, [command.id]);
    expect(inbox).toHaveLength(1);
  });

  it('retried after a crash between the vendor create and the ID map finds the record by natural key', async () => {
    const command = customerEnsure('c-200', 'c200@client.test');
    const createsBefore = vendor.createCalls;
    vendor.crashAfterNextCreate = true;

    await send(command);
    const written = await waitFor(async () => (await outcomes('record.written', command.id))[0], 15_000);

    expect(vendor.createCalls - createsBefore).toBe(1);
    const created = vendor.customers.filter((customer) => customer.email === 'c200@client.test');
    expect(created).toHaveLength(1);
    expect(written.data).toMatchObject({ outcome: 'found_existing', externalId: String(created[0].id) });
    const entry = await new IdMap(harness.dataSource).find(connectionId, 'customer', command.data.sourceKey);
    expect(entry?.externalId).toBe(String(created[0].id));
  });

  it('that the vendor rejects fails the record and is dead-lettered with the vendor message', async () => {
    const command = customerEnsure('c-300', 'not-an-email');

    await send(command);
    const failed = await waitFor(async () => (await outcomes('record.failed', command.id))[0]);

    expect(failed.data).toMatchObject({
      entityType: 'customer',
      sourceKey: command.data.sourceKey,
      error: {
        code: 'validation',
        retryable: false,
        message: expect.stringContaining('email is not an e-mail address'),
      },
    });
    const letters = await harness.bus.listDeadLetters({ subject: SUBJECT });
    expect(letters.find((letter) => letter.msgId && letter.payload.includes('c-300'))?.reason).toContain(
      'email is not an e-mail address',
    );
  });

  it('for an unknown connection or with rejected credentials is dead-lettered with the reason', async () => {
    const unknownId = randomUUID();
    const wrongToken = 'tok-wrong-00112233';
    const rejectedConnection = await harness.createConnection('repairshopr', { apiToken: wrongToken });
    const forUnknown = customerEnsure('c-400', 'c400@client.test');
    const forRejected = customerEnsure('c-500', 'c500@client.test');

    await send(forUnknown, unknownId);
    await send(forRejected, rejectedConnection);
    await settled();

    const reasons = (await harness.bus.listDeadLetters({ subject: SUBJECT })).map((letter) => letter.reason);
    expect(reasons).toContain(`unknown connection ${unknownId}`);
    const rejected = reasons.find((reason) => reason.startsWith('credentials rejected by fakevendor: '));
    expect(rejected).toContain('401');
    expect(rejected).not.toContain(wrongToken);
    expect((await outcomes('record.failed', forRejected.id))[0].data).toMatchObject({
      connectionId: rejectedConnection,
      error: { code: 'credentials_rejected', retryable: false },
    });
  });
});
