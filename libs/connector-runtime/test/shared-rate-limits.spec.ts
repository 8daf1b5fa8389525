import { openServiceDataSource, PostgresRateLimitStore } from '@junction/connector-kit';
import { evenlySpaced, SharedTokenBucket } from '@junction/vendor-http';
import type { DataSource } from 'typeorm';
import { FakeVendor } from './support/fake-vendor';
import { DATABASE_URL, Harness, query, sleep } from './support/harness';
import { testConnector } from './support/test-connector';

// Replicas of a connector on real Postgres: each has its own DataSource and store on one schema, as two pods would.

const RATE = 20;
const CREDENTIAL = 'system:4711';

interface Replica {
  bucket: SharedTokenBucket;
  /** performance.now() of every grant. */
  grants: number[];
}

/** Every caller of every replica asks again as soon as it is granted, until `untilMs` (performance.now()). */
async function hammer(replicas: Replica[], untilMs: number): Promise<void> {
  const caller = async (replica: Replica) => {
    while (performance.now() < untilMs) {
      await replica.bucket.acquire(CREDENTIAL);
      replica.grants.push(performance.now());
    }
  };
  await Promise.all(replicas.flatMap((replica) => Array.from({ length: 4 }, () => caller(replica))));
}

const within = (times: number[], from: number, to: number) => times.filter((time) => time >= from && time < to);

/** The most grants in any second. */
function busiestSecond(times: number[]): number {
  return Math.max(...times.map((start) => within(times, start, start + 1000).length));
}

describe('a vendor allowance shared by replicas through Postgres', () => {
  const harness = new Harness();
  const dataSources: DataSource[] = [];
  const stores: PostgresRateLimitStore[] = [];

  beforeAll(async () => {
    await harness.open();
    for (let n = 0; n < 2; n++) dataSources.push(await openServiceDataSource({ url: DATABASE_URL, schema: harness.schema }));
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await harness.close();
  });

  /** Two replicas, each on its own DataSource, on a fresh credential's schedule. */
  async function replicas(): Promise<Replica[]> {
    await query(`DELETE FROM "${harness.schema}".rate_limits`);
    return dataSources.map((dataSource) => {
      const store = new PostgresRateLimitStore(dataSource);
      stores.push(store);
      return { bucket: new SharedTokenBucket(store, { name: 'minicrm', capacity: 1, refillPerSecond: RATE }), grants: [] };
    });
  }

  it('never lets two replicas together exceed the allowance, and together they reach it', async () => {
    const [a, b] = await replicas();
    const start = performance.now();
    await hammer([a, b], start + 4_000);

    const all = within([...a.grants, ...b.grants], start, start + 4_000);
    // Evenly spaced at 20/s: 20 in any second, a little more where grants came late (timers and answers delayed on a
    // loaded machine) and the next on time. Without the shared schedule they would make 40.
    expect(busiestSecond(all)).toBeLessThanOrEqual(RATE + 2);
    // 80 are possible in 4 s; a loaded machine may lose some to slow round trips, never gain any.
    expect(all.length).toBeGreaterThanOrEqual(0.6 * 4 * RATE);
    // They take turns instead of one replica draining its queue first.
    expect(within(a.grants, start, start + 4_000).length).toBeGreaterThanOrEqual(all.length / 4);
    expect(within(b.grants, start, start + 4_000).length).toBeGreaterThanOrEqual(all.length / 4);
  });

  it('holds the other replica for the Retry-After of a 429 one replica received', async () => {
    const [a, b] = await replicas();
    const start = performance.now();
    const hammering = hammer([a, b], start + 4_000);
    await sleep(1_000);
    const penalizedAt = performance.now();
    a.bucket.penalize(CREDENTIAL, 2_000);
    await hammering;

    // Timers may fire a hair early by performance.now(); the pause is 2 s.
    const pause = (replica: Replica) => within(replica.grants, penalizedAt, penalizedAt + 2_000 - 5);
    expect(pause(a)).toEqual([]);
    // b may still use what it booked before the hold reached Postgres (two bookings of 100 ms, 4 slots); without
    // the hold it would have had all 40 slots of the pause.
    expect(pause(b).length).toBeLessThanOrEqual(8);
    expect(within([...a.grants, ...b.grants], penalizedAt + 2_000, Infinity).length).toBeGreaterThan(0);
  });

  it('is installed for the connector while its runtime runs, for every client of the vendor in the process', async () => {
    await query(`DELETE FROM "${harness.schema}".rate_limits`);
    const runtime = await harness.startRuntime(testConnector(new FakeVendor('tok-good-c0ffee42')));
    const limiter = evenlySpaced('repairshopr', 6_000);
    await limiter.acquire('while-running');
    await runtime.stop();
    await limiter.acquire('after-stop');

    const rows = await query<{ key: string }>(`SELECT key FROM "${harness.schema}".rate_limits ORDER BY key`);
    expect(rows.map((row) => row.key)).toEqual(['while-running']);
  });
});
