import { AckPolicy } from '@nats-io/jetstream';
import { deleteNamespaceStreams, NATS_URL, randomName } from '@junction/e2e/test/support';
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
  let bus: Bus;

  beforeAll(async () => {
    bus = await Bus.connect({ servers: NATS_URL, name: 'bench-settle-test', namespace });
    await bus.ensureStreams();
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespaceStreams(namespace);
  });

  it('waits until every consumer of the stack has settled what it was given', async () => {
    const stream = bus.streamName('EVENTS');
    await bus.jsm.consumers.add(stream, { durable_name: 'projector', filter_subject: bus.subject('record.written'), ack_policy: AckPolicy.Explicit });
    await bus.publish('record.written', { id: 'w1' });
    await bus.publish('record.written', { id: 'w2' });
    const consumer = await bus.js.consumers.get(stream, 'projector');
    const first = await consumer.next();

    let settled = false;
    const settling = settle(bus).then(() => (settled = true));
    first?.ack();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(settled).toBe(false);
    (await consumer.next())?.ack();
    await settling;
    expect(await bus.unsettledConsumers()).toEqual([]);
  });
});
