import { AckPolicy } from '@nats-io/jetstream';
import { deleteNamespaceStreams, NATS_URL, query, randomName } from '@junction/e2e/test/support';
import { Bus } from '@junction/messaging';
import { maxOf, settle } from '../src/pipeline';

it('finds the largest of more values than a spread can pass as arguments (a full-size backfill logs 450,000 calls)', () => {
  const finishedMs = Array.from({ length: 500_000 }, (_, index) => (index * 7919) % 500_000);
  expect(() => Math.max(...finishedMs)).toThrow(RangeError);
  expect(maxOf(finishedMs)).toBe(499_999);
  expect(maxOf(new Set([3, 9, 4]).values())).toBe(9);
});

describe('settling between runs', () => {
  const namespace = randomName('bench');
  const schema = randomName('bench_settle_');
  let bus: Bus;

  beforeAll(async () => {
    bus = await Bus.connect({ servers: NATS_URL, name: 'bench-settle-test', namespace });
    await bus.ensureStreams();
    await query(`CREATE SCHEMA ${schema}`);
    await query(`CREATE TABLE ${schema}.id_map AS SELECT n AS id FROM generate_series(1, 100) AS n`);
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespaceStreams(namespace);
    await query(`DROP SCHEMA ${schema} CASCADE`);
  });

  it('waits until every consumer of the stack has settled what it was given, then analyzes its tables', async () => {
    // -1 until the table is first analyzed: the planner knows nothing of it.
    const estimatedRows = async () => (await query<{ rows: number }>(`SELECT reltuples AS rows FROM pg_class WHERE oid = '${schema}.id_map'::regclass`))[0].rows;
    expect(await estimatedRows()).toBe(-1);
    const stream = bus.streamName('EVENTS');
    await bus.jsm.consumers.add(stream, { durable_name: 'projector', filter_subject: bus.subject('record.written'), ack_policy: AckPolicy.Explicit });
    await bus.publish('record.written', { id: 'w1' });
    await bus.publish('record.written', { id: 'w2' });
    const consumer = await bus.js.consumers.get(stream, 'projector');
    const first = await consumer.next();

    let settled = false;
    const settling = settle({ bus, processes: {}, servers: {}, schemas: [schema] }).then(() => (settled = true));
    first?.ack();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(settled).toBe(false);
    (await consumer.next())?.ack();
    await settling;
    expect(await bus.unsettledConsumers()).toEqual([]);
    expect(await estimatedRows()).toBe(100);
  });
});
