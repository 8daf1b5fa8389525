import { Cursors, IdMap, SyncRuns } from '@junction/connector-kit';
import { messageId } from '@junction/contracts';
import { FakeVendor } from './support/fake-vendor';
import { Harness, waitFor } from './support/harness';
import { testConnector, type TestRuntime } from './support/test-connector';

const harness = new Harness();
const vendor = new FakeVendor('tok-good-5f1e2d3c');
const SYNC_DURABLE = 'repairshopr-sync';
let runtime: TestRuntime;
let syncRuns: SyncRuns;

beforeAll(async () => {
  await harness.open();
  // Customer 3 has no name, which the Customer contract refuses; customer 4 comes back half-written.
  vendor.seed(5, [{}, {}, { name: '' }, { corrupt: true }]);
  runtime = await harness.startRuntime(testConnector(vendor), { readRetryDelayMs: 20 });
  syncRuns = new SyncRuns(harness.dataSource);
});

afterAll(() => harness.close());

beforeEach(() => {
  vendor.beforePage = async () => undefined;
});

async function finishedRun(connectionId: string) {
  return waitFor(async () => {
    const [run] = await syncRuns.list({ connectionId, stream: 'customers', limit: 1 });
    return run && run.state !== 'running' ? run : undefined;
  });
}

async function runUpdates(connectionId: string) {
  const updates = await harness.stored('SYNC', 'sync.run.updated');
  return updates.map((update) => update.envelope.data).filter((data) => data.connectionId === connectionId);
}

describe('a sync request', () => {
  it('runs the stream page by page into events, a cursor and a finished run', async () => {
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    const requestId = await harness.requestSync(connectionId, 'customers');

    const run = await finishedRun(connectionId);
    expect(run).toMatchObject({
      state: 'succeeded',
      requestId,
      reason: 'manual',
      progress: { done: 5, total: 5 },
      counts: { created: 3, updated: 0, skipped: 0, failed: 2 },
      error: null,
    });

    const events = (await harness.stored('EVENTS', 'customer.created')).filter(
      (event) => (event.envelope.source as { connectionId: string }).connectionId === connectionId,
    );
    expect(events.map((event) => event.envelope.id)).toEqual(
      ['1', '2', '5'].map((key) => messageId('repairshopr', connectionId, 'customers', key, 'created')),
    );
    expect(events[0].headers['Nats-Msg-Id']).toBe(events[0].envelope.id);
    expect(events[0].envelope).toMatchObject({
      type: 'customer.created',
      version: 1,
      source: { connector: 'repairshopr', connectionId },
      data: { sourceId: '1', businessName: 'Customer 1', email: 'customer1@example.test' },
    });

    const failed = await syncRuns.recordsOf(run.id, { outcome: 'failed' });
    expect(failed.map((record) => [record.recordKey, record.error])).toEqual([
      ['3', expect.stringContaining('businessName')],
      ['4', 'the vendor returned a half-written record'],
    ]);
    expect(await new Cursors(harness.dataSource).get(connectionId, 'customers')).toEqual({ afterId: 5 });

    const updates = await runUpdates(connectionId);
    expect(updates.map((update) => update.state)).toEqual(['running', 'running', 'running', 'running', 'succeeded']);
    expect(updates[updates.length - 1]).toMatchObject({
      runId: run.id,
      requestId,
      progress: { done: 5, total: 5 },
      counts: { created: 3, failed: 2 },
      revision: run.revision,
      // The failed records travel with the run's state, so the runs screen can say why they failed.
      failedRecords: [
        { entityType: 'customer', recordKey: '3', error: expect.stringContaining('businessName') },
        { entityType: 'customer', recordKey: '4', error: 'the vendor returned a half-written record' },
      ],
    });
    expect(updates[0].failedRecords).toBeUndefined();
    expect(await harness.unfinished('SYNC', SYNC_DURABLE)).toBe(0);
  });

  it('does not start a second run while one is running', async () => {
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    vendor.beforePage = () => held;
    const readsBefore = vendor.pageReads.length;

    await harness.requestSync(connectionId, 'customers');
    await waitFor(() => vendor.pageReads.length > readsBefore);
    const second = await harness.requestSync(connectionId, 'customers', { reason: 'save_and_sync' });
    await waitFor(async () => (await harness.unfinished('SYNC', SYNC_DURABLE)) === 0);

    expect(runtime.activeRuns).toBe(1);
    expect(await syncRuns.list({ connectionId, stream: 'customers', limit: 10 })).toHaveLength(1);
    release();
    const run = await finishedRun(connectionId);
    expect(run.state).toBe('succeeded');
    expect(await syncRuns.list({ connectionId, stream: 'customers', limit: 10 })).toHaveLength(1);
    expect((await runUpdates(connectionId)).some((update) => update.requestId === second)).toBe(false);
  });

  it('skips the records this connection wrote into the vendor, so its own writes do not echo back', async () => {
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    const idMap = new IdMap(harness.dataSource);
    // Junction created customer 2 at the vendor; customer 5 was only pulled before, which is no reason to skip it.
    await idMap.record({ connectionId, entityType: 'customer', sourceKey: 'zomentum:c-2', externalId: '2', origin: 'written' });
    await idMap.record({ connectionId, entityType: 'customer', sourceKey: '5', externalId: '5', origin: 'pulled' });

    await harness.requestSync(connectionId, 'customers');
    const run = await finishedRun(connectionId);

    expect(run).toMatchObject({ state: 'succeeded', counts: { created: 2, updated: 0, skipped: 1, failed: 2 } });
    const skipped = await syncRuns.recordsOf(run.id, { outcome: 'skipped' });
    expect(skipped.map((record) => [record.entityType, record.recordKey])).toEqual([['customer', '2']]);
    const events = (await harness.stored('EVENTS', 'customer.created')).filter(
      (event) => (event.envelope.source as { connectionId: string }).connectionId === connectionId,
    );
    expect(events.map((event) => (event.envelope.data as { sourceId: string }).sourceId).sort()).toEqual(['1', '5']);
  });

  it('pauses on a vendor outage and resumes from the saved cursor', async () => {
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    const readsBefore = vendor.pageReads.length;
    vendor.unavailableOnceAfter = 2;

    await harness.requestSync(connectionId, 'customers');
    const run = await finishedRun(connectionId);

    expect(run).toMatchObject({ state: 'succeeded', progress: { done: 5 }, counts: { created: 3, failed: 2 } });
    // The failed read of the page after 2 is repeated from the cursor saved after page 1; page 1 is not re-read.
    expect(vendor.pageReads.slice(readsBefore)).toEqual([0, 2, 2, 4, 5]);
  });

  it('ends a run that cannot go on as failed, with the reason, and acknowledges the request', async () => {
    const wrongToken = 'tok-wrong-9a8b7c6d';
    const connectionId = await harness.createConnection('repairshopr', { apiToken: wrongToken });

    await harness.requestSync(connectionId, 'customers');
    const run = await finishedRun(connectionId);

    expect(run.state).toBe('failed');
    expect(run.error).toMatch(/^credentials rejected by fakevendor: .*401/);
    expect(run.error).not.toContain(wrongToken);
    const updates = await runUpdates(connectionId);
    expect(updates[updates.length - 1]).toMatchObject({
      state: 'failed',
      error: { code: 'credentials_rejected', message: run.error },
    });
    expect(await harness.unfinished('SYNC', SYNC_DURABLE)).toBe(0);
  });

  it('skips requests for other connectors and dead-letters requests it cannot serve', async () => {
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    await harness.requestSync(connectionId, 'customers', { connector: 'zomentum' });
    await harness.requestSync(connectionId, 'invoices');
    await harness.requestSync('00000000-0000-4000-8000-000000000000', 'customers');

    const deadLetters = await waitFor(async () => {
      const letters = await harness.bus.listDeadLetters({ subject: 'sync.requested' });
      return letters.length === 2 ? letters : undefined;
    });
    expect(deadLetters.map((letter) => letter.reason)).toEqual([
      "repairshopr has no stream 'invoices' (streams: customers)",
      'unknown connection 00000000-0000-4000-8000-000000000000',
    ]);
    expect(await syncRuns.list({ connectionId, limit: 10 })).toEqual([]);
  });

  it('fails a record whose event is larger than its stream takes, alone', async () => {
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    vendor.seed(1, [{ name: 'x'.repeat(1_100_000) }]);
    const huge = vendor.customers[vendor.customers.length - 1];
    try {
      await harness.requestSync(connectionId, 'customers');
      const run = await finishedRun(connectionId);

      expect(run).toMatchObject({ state: 'succeeded', counts: { created: 3, failed: 3 } });
      const failed = await syncRuns.recordsOf(run.id, { outcome: 'failed' });
      expect(failed.at(-1)).toMatchObject({
        recordKey: String(huge.id),
        error: expect.stringMatching(/^a message of \d+ bytes to 'customer\.created' is larger than its stream takes$/),
      });
    } finally {
      vendor.customers.splice(vendor.customers.indexOf(huge), 1);
    }
  });
});
