import { randomUUID } from 'node:crypto';
import { SyncRuns } from '@junction/connector-kit';
import { commandSubject, messageId, sourceKey } from '@junction/contracts';
import { FakeVendor } from './support/fake-vendor';
import { Harness, waitFor } from './support/harness';
import { testConnector } from './support/test-connector';

const harness = new Harness();
const goodToken = `tok-good-${randomUUID()}`;
const wrongToken = `tok-wrong-${randomUUID()}`;
const vendor = new FakeVendor(goodToken);

beforeAll(async () => {
  await harness.open();
  vendor.seed(3);
  await harness.startRuntime(testConnector(vendor));
});

afterAll(() => harness.close());

async function syncToEnd(connectionId: string): Promise<void> {
  const syncRuns = new SyncRuns(harness.dataSource);
  await harness.requestSync(connectionId, 'customers');
  await waitFor(async () => {
    const [run] = await syncRuns.list({ connectionId, limit: 1 });
    return run && run.state !== 'running';
  });
}

it('no credential reaches the logs, whatever connector code, vendors and failures do with it', async () => {
  const good = await harness.createConnection('repairshopr', { apiToken: goodToken });
  const wrong = await harness.createConnection('repairshopr', { apiToken: wrongToken });

  // Connector code logs the token; the vendor echoes the wrong one in its 401.
  await harness.control('repairshopr', 'test', { connectionId: good });
  await harness.control('repairshopr', 'test', { connectionId: wrong });
  await syncToEnd(good);
  await syncToEnd(wrong);
  const key = sourceKey('zomentum', 'zm-acme', 'client', 'c-1');
  await harness.bus.publish(
    commandSubject('repairshopr', 'customer.ensure'),
    {
      id: messageId(key, 'ensure'),
      type: 'cmd.repairshopr.customer.ensure',
      version: 1,
      source: { connector: 'mapping', connectionId: 'int-zm-rs' },
      target: { connector: 'repairshopr', connectionId: wrong },
      occurredAt: new Date().toISOString(),
      data: { sourceKey: key, customer: { sourceId: 'c-1', businessName: 'Client 1', email: 'c1@client.test' } },
    },
  );
  await waitFor(async () => (await harness.bus.listDeadLetters({ subject: 'cmd.>' })).length === 1);

  const logs = harness.logLines.join('');
  expect(logs).toContain('testing with token [REDACTED]');
  expect(logs).toContain('sync run failed');
  expect(logs).toContain('message dead-lettered');
  expect(logs).not.toContain(goodToken);
  expect(logs).not.toContain(wrongToken);
});
