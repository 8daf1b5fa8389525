import { Bus } from '../src';
import { connectBus, deleteNamespaceStreams, envelope, parseEnvelope, randomNamespace, sleep, waitFor } from './helpers';

describe('Bus.drain', () => {
  const namespace = randomNamespace();
  let admin: Bus;

  beforeAll(async () => {
    admin = await connectBus(namespace, 'drain-admin');
    await admin.ensureStreams();
  });

  afterAll(async () => {
    await admin.close();
    await deleteNamespaceStreams(namespace);
  });

  /** A replica consuming `deal.<durable>`; `handle` sees message ids and delivery counts. */
  async function replica(
    durable: string,
    handle: (id: string, deliveryCount: number) => Promise<void>,
    maxDeliver = 8,
  ) {
    const bus = await connectBus(namespace, `replica-${durable}`);
    const consumer = await bus.consume({
      stream: 'EVENTS',
      durable,
      filterSubject: `deal.${durable}`,
      parse: parseEnvelope,
      ackWaitMs: 5_000,
      maxDeliver,
      handle: (message, ctx) => handle(message.id, ctx.deliveryCount),
    });
    return { bus, consumer };
  }

  async function expectNothingPending(durable: string) {
    const info = await admin.jsm.consumers.info(admin.streamName('EVENTS'), durable);
    expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
  }

  it('lets the running handler finish and ack, and leaves the other messages to the next replica', async () => {
    let slowStarted = false;
    let slowFinished = false;
    const first = await replica('graceful', async (id) => {
      if (id !== 'slow') return;
      slowStarted = true;
      await sleep(400);
      slowFinished = true;
    });
    for (const id of ['slow', 'next-1', 'next-2']) await admin.publish('deal.graceful', envelope(id, 'deal.won'));
    await waitFor(() => slowStarted);

    await first.bus.drain();
    expect(slowFinished).toBe(true);
    expect(first.consumer.stats.processed).toBe(1);
    expect(first.bus.nc.isClosed()).toBe(true);

    const seen: string[] = [];
    const second = await replica('graceful', async (id) => {
      seen.push(id);
    });
    try {
      await waitFor(() => second.consumer.stats.processed === 2);
      expect(seen).toEqual(['next-1', 'next-2']);
      await expectNothingPending('graceful');
    } finally {
      await second.bus.close();
    }
  });

  it('hands back a message whose handler overruns the grace period, for prompt redelivery', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const first = await replica('overrun', async () => {
      started = true;
      await stuck;
    });
    await admin.publish('deal.overrun', envelope('stuck-1', 'deal.won'));
    await waitFor(() => started);

    const drainStarted = Date.now();
    await first.bus.drain({ graceMs: 100 });
    expect(Date.now() - drainStarted).toBeLessThan(1_000);

    const deliveries: Array<[string, number]> = [];
    const second = await replica('overrun', async (id, deliveryCount) => {
      deliveries.push([id, deliveryCount]);
    });
    try {
      await waitFor(() => second.consumer.stats.processed === 1, 3_000);
      expect(deliveries).toEqual([['stuck-1', 2]]);
      release();
      await sleep(50);
      expect(first.consumer.stats.processed).toBe(0);
      await expectNothingPending('overrun');
    } finally {
      await second.bus.close();
    }
  });

  it('still settles a message whose last allowed delivery was cut short by a shutdown', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const first = await replica(
      'last-chance',
      async () => {
        started = true;
        await stuck;
      },
      1,
    );
    await admin.publish('deal.last-chance', envelope('last-1', 'deal.won'));
    await waitFor(() => started);
    await first.bus.drain({ graceMs: 0 });
    release();

    const second = await replica(
      'last-chance',
      async () => {
        throw new Error('still failing');
      },
      1,
    );
    try {
      await waitFor(() => second.consumer.stats.deadLettered === 1, 3_000);
      const [letter] = await admin.listDeadLetters({ subject: 'deal.last-chance' });
      expect(letter).toMatchObject({ msgId: 'last-1', deliveries: 2, reason: 'gave up after 2 deliveries: still failing' });
      await expectNothingPending('last-chance');
    } finally {
      await second.bus.close();
    }
  });

  it('returns at once for idle consumers, is idempotent, and survives a connection closed underneath', async () => {
    const idle = await replica('idle', async () => undefined);
    const started = Date.now();
    await Promise.all([idle.bus.drain(), idle.bus.drain()]);
    await idle.bus.close();
    expect(Date.now() - started).toBeLessThan(1_000);

    const orphan = await replica('orphan', async () => undefined);
    await orphan.bus.nc.close();
    await expect(orphan.bus.drain()).resolves.toBeUndefined();
    await expect(orphan.bus.consume({} as never)).rejects.toThrow('the bus is shutting down');
  });
});
