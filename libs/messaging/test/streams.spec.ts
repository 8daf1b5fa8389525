import { nanos } from '@nats-io/transport-node';
import { Bus, DEAD_LETTER_HEADROOM_BYTES, JUNCTION_STREAMS, MessageTooLargeError, NoStreamError } from '../src';
import { connectBus, deleteNamespaceStreams, envelope, randomNamespace } from './helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Bus.ensureStreams', () => {
  const namespace = randomNamespace();
  const racingNamespace = randomNamespace();
  const upgradeNamespace = randomNamespace();
  let bus: Bus;

  beforeAll(async () => {
    bus = await connectBus(namespace);
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespaceStreams(namespace);
    await deleteNamespaceStreams(racingNamespace);
    await deleteNamespaceStreams(upgradeNamespace);
  });

  it('creates the Junction streams in the namespace', async () => {
    expect(await bus.ensureStreams()).toEqual({
      EVENTS: 'created',
      COMMANDS: 'created',
      SYNC: 'created',
      CONFIG: 'created',
      DLQ: 'created',
    });
    const events = await bus.jsm.streams.info(bus.streamName('EVENTS'));
    expect(events.config).toMatchObject({
      name: `${namespace.toUpperCase()}_EVENTS`,
      subjects: ['deal.>', 'order.>', 'customer.>', 'contact.>', 'product.>', 'record.>'].map((s) => `${namespace}.${s}`),
      retention: 'limits',
      storage: 'file',
      max_age: nanos(7 * DAY_MS),
      duplicate_window: nanos(2 * 60 * 1000),
      max_msg_size: bus.nc.info!.max_payload - DEAD_LETTER_HEADROOM_BYTES,
    });
    const dlq = await bus.jsm.streams.info(bus.streamName('DLQ'));
    expect(dlq.config).toMatchObject({
      subjects: [`${namespace}.dlq.>`],
      max_age: nanos(30 * DAY_MS),
      retention: 'limits',
      duplicate_window: nanos(DAY_MS),
      max_msg_size: -1,
    });
  });

  it('changes nothing when run again', async () => {
    const before = await bus.jsm.streams.info(bus.streamName('EVENTS'));
    expect(Object.values(await bus.ensureStreams())).toEqual(Array(JUNCTION_STREAMS.length).fill('unchanged'));
    const after = await bus.jsm.streams.info(bus.streamName('EVENTS'));
    expect(after.created).toBe(before.created);
  });

  it('updates a stream whose declared config changed, keeping its messages', async () => {
    await bus.publish('deal.won', envelope('kept-1', 'deal.won'));
    const events = JUNCTION_STREAMS.find((spec) => spec.name === 'EVENTS')!;
    const changed = { ...events, subjects: [...events.subjects, 'invoice.>'], maxAgeMs: DAY_MS };

    expect(await bus.ensureStreams([changed])).toEqual({ EVENTS: 'updated' });
    const info = await bus.jsm.streams.info(bus.streamName('EVENTS'));
    expect(info.config.subjects).toContain(`${namespace}.invoice.>`);
    expect(info.config.max_age).toBe(nanos(DAY_MS));
    expect(info.state.messages).toBe(1);

    expect(await bus.ensureStreams()).toMatchObject({ EVENTS: 'updated', DLQ: 'unchanged' });
    expect((await bus.jsm.streams.info(bus.streamName('EVENTS'))).config.max_age).toBe(nanos(7 * DAY_MS));
  });

  it('survives several replicas declaring the same streams at the same moment', async () => {
    const replicas = await Promise.all([1, 2, 3].map((n) => connectBus(racingNamespace, `replica-${n}`)));
    try {
      const results = await Promise.all(replicas.map((replica) => replica.ensureStreams()));
      for (const result of results) {
        for (const change of Object.values(result)) expect(['created', 'unchanged']).toContain(change);
      }
      const names: string[] = [];
      for await (const name of replicas[0].jsm.streams.names()) names.push(name);
      const prefix = racingNamespace.toUpperCase();
      expect(names.filter((name) => name.startsWith(`${prefix}_`)).sort()).toEqual(
        ['COMMANDS', 'CONFIG', 'DLQ', 'EVENTS', 'SYNC'].map((name) => `${prefix}_${name}`),
      );
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('reconciles when a replica running another version of the spec created the stream first', async () => {
    const sync = JUNCTION_STREAMS.find((spec) => spec.name === 'SYNC')!;
    const [oldReplica, newReplica] = await Promise.all([
      connectBus(upgradeNamespace, 'old-replica'),
      connectBus(upgradeNamespace, 'new-replica'),
    ]);
    try {
      const results = await Promise.all([
        oldReplica.ensureStreams([{ ...sync, maxAgeMs: DAY_MS }]),
        newReplica.ensureStreams([sync]),
      ]);
      expect(results.map((result) => result.SYNC).sort()).toEqual(['created', 'updated']);
    } finally {
      await Promise.all([oldReplica.close(), newReplica.close()]);
    }
  });

  it('refuses to publish to a subject no stream stores, naming the subject', async () => {
    const attempt = bus.publish('nowhere.to.go', envelope('lost-1', 'nowhere.to.go'));
    await expect(attempt).rejects.toBeInstanceOf(NoStreamError);
    await expect(attempt).rejects.toThrow(`no JetStream stream stores subject '${namespace}.nowhere.to.go'`);
  });

  it('refuses a message larger than its stream takes to its publisher, with the size and subject', async () => {
    const { config, state: before } = await bus.jsm.streams.info(bus.streamName('EVENTS'));
    const limit = config.max_msg_size;
    for (const padding of [limit, bus.nc.info!.max_payload]) {
      const attempt = bus.publish('deal.won', { ...envelope(`huge-${padding}`, 'deal.won'), padding: 'x'.repeat(padding) });
      await expect(attempt).rejects.toBeInstanceOf(MessageTooLargeError);
      await expect(attempt).rejects.toThrow(/^a message of \d+ bytes to 'deal\.won' is larger than its stream takes$/);
    }
    expect((await bus.jsm.streams.info(bus.streamName('EVENTS'))).state.messages).toBe(before.messages);
  });
});
