import type { Bus } from '@junction/messaging';
import type { DataSource } from 'typeorm';
import { FiringLoop, type TickResult } from '../src/firing';
import { FiredSlotEntity } from '../src/persistence';
import { DAY, MINUTE } from '@junction/schedules';
import {
  connectBus,
  deleteNamespaceStreams,
  dropSchema,
  FakeClock,
  openSchedulerDataSource,
  quietLogger,
  randomNames,
  seedSchedule,
  sleep,
  SyncRequestRecorder,
} from './support';

const SCHEDULES = 20;

/** A scheduler replica: its own DataSource (connection pool) and its own NATS connection, on the shared schema. */
interface Replica {
  dataSource: DataSource;
  bus: Bus;
  firing: FiringLoop;
}

describe('two scheduler replicas on one schema', () => {
  const { schema, namespace } = randomNames();
  const clock = new FakeClock('2025-06-01T10:00:30Z');
  const replicas: Replica[] = [];
  let recorder: SyncRequestRecorder;

  const fireCounts = (results: TickResult[]) => results.reduce((sum, result) => sum + result.fired, 0);

  beforeAll(async () => {
    for (const name of ['replica-a', 'replica-b']) {
      const dataSource = await openSchedulerDataSource(schema);
      const bus = await connectBus(namespace, name);
      // Small batches, so that twenty due schedules are enough to make the replicas share them.
      const firing = new FiringLoop({ dataSource, bus, clock, logger: quietLogger, tickMs: 5, retentionMs: 30 * DAY, batchSize: 3 });
      replicas.push({ dataSource, bus, firing });
    }
    recorder = await SyncRequestRecorder.start(replicas[0]!.bus);
  });

  beforeEach(async () => {
    await replicas[0]!.dataSource.query(`TRUNCATE "${schema}".schedules, "${schema}".fired_slots`);
    recorder.received.length = 0;
    for (let index = 0; index < SCHEDULES; index++) {
      await seedSchedule(replicas[0]!.dataSource, {
        id: `schedule-${index}`,
        timing: { kind: 'interval', everyMinutes: 1 },
        effectiveFrom: '2025-06-01T10:00:00Z',
      });
    }
  });

  afterAll(async () => {
    recorder?.stop();
    for (const { dataSource, bus } of replicas) {
      await bus.close();
      await dataSource.destroy();
    }
    await dropSchema(schema);
    await deleteNamespaceStreams(namespace);
  });

  it('split the due schedules between them and fire every slot exactly once', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const results: { a: TickResult[]; b: TickResult[] } = { a: [], b: [] };
    const rounds = 6;
    for (let round = 0; round < rounds; round++) {
      clock.advance(MINUTE);
      // Two ticks of each replica at the same time: every due schedule is contended.
      const [a1, b1, a2, b2] = await Promise.all([a.firing.tick(), b.firing.tick(), a.firing.tick(), b.firing.tick()]);
      results.a.push(a1, a2);
      results.b.push(b1, b2);
    }

    const received = await recorder.settle();
    expect(received).toHaveLength(SCHEDULES * rounds);
    expect(new Set(received.map((envelope) => envelope.id)).size).toBe(SCHEDULES * rounds);
    for (let index = 0; index < SCHEDULES; index++) {
      const slots = received.filter((envelope) => envelope.data.scheduleId === `schedule-${index}`);
      expect(new Set(slots.map((envelope) => envelope.data.requestedAt)).size).toBe(rounds);
    }
    expect(fireCounts(results.a) + fireCounts(results.b)).toBe(SCHEDULES * rounds);
    expect(fireCounts(results.a)).toBeGreaterThan(0);
    expect(fireCounts(results.b)).toBeGreaterThan(0);
  });

  it('never publish a slot twice while both loops run on their own timers', async () => {
    for (const { firing } of replicas) firing.start();
    // Time flies: a minute passes every 50 ms, so slots come due while both replicas are mid-tick.
    for (let step = 0; step < 20; step++) {
      await sleep(50);
      clock.advance(MINUTE);
    }
    for (const { firing } of replicas) await firing.stop();
    // Whatever the last ticks left in the outbox.
    await replicas[0]!.firing.tick();

    const received = await recorder.settle();
    const fired = await replicas[0]!.dataSource.getRepository(FiredSlotEntity).count();
    expect(fired).toBeGreaterThanOrEqual(SCHEDULES * 3);
    expect(received).toHaveLength(fired);
    expect(new Set(received.map((envelope) => envelope.id)).size).toBe(fired);
  });
});
