import { Cursors, EXPIRED_LEASE_ERROR, SyncRuns } from '@junction/connector-kit';
import { FakeVendor } from './support/fake-vendor';
import { Harness, sleep, waitFor } from './support/harness';
import { testConnector } from './support/test-connector';

const harness = new Harness();
const vendor = new FakeVendor('tok-good-1a2b3c4d');
const LEASE_MS = 1_500;

beforeAll(() => harness.open());
afterAll(() => harness.close());

describe('a sync run whose worker dies mid-run', () => {
  it('is resumed by the next request from the cursor of its last durable page, without duplicate events', async () => {
    vendor.seed(6);
    const syncRuns = new SyncRuns(harness.dataSource);
    const cursors = new Cursors(harness.dataSource);
    const first = await harness.startRuntime(testConnector(vendor), { leaseMs: LEASE_MS });
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });

    // Page 1 (customers 1-2) goes through; the read of page 2 hangs until the worker is gone.
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    vendor.beforePage = (afterId) => (afterId === 2 ? hung : Promise.resolve());
    await harness.requestSync(connectionId, 'customers');
    await waitFor(async () => vendor.pageReads.includes(2) && (await cursors.get(connectionId, 'customers')));
    await first.stop();
    release();

    const [crashed] = await syncRuns.list({ connectionId, stream: 'customers', limit: 1 });
    expect(crashed).toMatchObject({ state: 'running', progress: { done: 2 } });
    expect(await cursors.get(connectionId, 'customers')).toEqual({ afterId: 2 });

    // Until the lease expires the crashed run still holds the stream.
    const second = await harness.startRuntime(testConnector(vendor), { leaseMs: LEASE_MS });
    await harness.requestSync(connectionId, 'customers');
    await waitFor(async () => (await harness.unfinished('SYNC', second.durables.sync)) === 0);
    expect(await syncRuns.list({ connectionId, stream: 'customers', limit: 10 })).toHaveLength(1);

    await sleep(LEASE_MS);
    const readsBefore = vendor.pageReads.length;
    await harness.requestSync(connectionId, 'customers');
    const resumed = await waitFor(async () => {
      const [run] = await syncRuns.list({ connectionId, stream: 'customers', limit: 1 });
      return run && run.id !== crashed.id && run.state === 'succeeded' ? run : undefined;
    });

    expect(vendor.pageReads.slice(readsBefore)).toEqual([2, 4, 6]);
    expect(resumed).toMatchObject({ progress: { done: 4, total: 6 }, counts: { created: 4, skipped: 0 } });
    expect(await syncRuns.get(crashed.id)).toMatchObject({ state: 'failed', error: EXPIRED_LEASE_ERROR });
    const events = await harness.stored('EVENTS', 'customer.created');
    // A page's events are published concurrently, so only the set (and no duplicate) is fixed, not the order.
    expect(events.map((event) => event.envelope.data.sourceId).sort()).toEqual(['1', '2', '3', '4', '5', '6']);

    // A full resync reads everything again; the deterministic ids make every event a duplicate JetStream drops.
    await harness.requestSync(connectionId, 'customers', { fullResync: true });
    const resynced = await waitFor(async () => {
      const [run] = await syncRuns.list({ connectionId, stream: 'customers', limit: 1 });
      return run && run.id !== resumed.id && run.state === 'succeeded' ? run : undefined;
    });
    expect(resynced).toMatchObject({ progress: { done: 6 }, counts: { created: 0, skipped: 6 } });
    expect(await harness.stored('EVENTS', 'customer.created')).toHaveLength(6);
  });
});
