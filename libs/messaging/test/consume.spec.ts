import { Bus, type ConsumerHandle, type MessageContext } from '../src';
import {
  connectBus,
  deleteNamespaceStreams,
  envelope,
  parseEnvelope,
  randomNamespace,
  sleep,
  waitFor,
  type TestEnvelope,
} from './helpers';

describe('Bus.publish and Bus.consume', () => {
  const namespace = randomNamespace();
  let bus: Bus;
  const handles: ConsumerHandle[] = [];

  beforeAll(async () => {
    bus = await connectBus(namespace);
    await bus.ensureStreams();
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.stop({ graceMs: 0 })));
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespaceStreams(namespace);
  });

  it('dedupes a second publish of the same envelope: the handler runs once', async () => {
    const deal = envelope('deal-1', 'deal.won', 100);
    const first = await bus.publish('deal.won', deal, { headers: { 'x-tenant': 'acme' } });
    const second = await bus.publish('deal.won', deal);
    expect(first).toEqual({ seq: expect.any(Number), duplicate: false });
    expect(second).toEqual({ seq: first.seq, duplicate: true });

    const seen: Array<{ message: TestEnvelope; ctx: MessageContext }> = [];
    const handle = await bus.consume({
      stream: 'EVENTS',
      durable: 'dedupe',
      filterSubject: 'deal.won',
      parse: parseEnvelope,
      handle: async (message, ctx) => {
        seen.push({ message, ctx });
      },
    });
    handles.push(handle);

    await waitFor(() => handle.stats.processed === 1);
    await sleep(200);
    expect(seen).toHaveLength(1);
    expect(seen[0].message).toEqual(deal);
    expect(seen[0].ctx).toMatchObject({
      subject: 'deal.won',
      stream: 'EVENTS',
      durable: 'dedupe',
      streamSeq: first.seq,
      deliveryCount: 1,
      msgId: 'deal-1',
    });
    expect(seen[0].ctx.headers['x-tenant']).toBe('acme');
    expect(seen[0].ctx.headers.traceparent).toBeUndefined();
    expect(handle.stats).toEqual({ processed: 1, failed: 0, deadLettered: 0 });
  });

  it('uses an explicit msgId instead of the envelope id for dedupe', async () => {
    const order = envelope('order-1', 'order.created');
    const first = await bus.publish('order.created', order, { msgId: 'order-1:v1' });
    const sameEnvelopeOtherId = await bus.publish('order.created', order, { msgId: 'order-1:v2' });
    expect(sameEnvelopeOtherId.duplicate).toBe(false);
    const stored = await bus.jsm.streams.getMessage(bus.streamName('EVENTS'), { seq: first.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe('order-1:v1');
  });

  it('handles several messages at once up to the concurrency limit', async () => {
    let active = 0;
    let mostActive = 0;
    let releaseAll!: () => void;
    const allStarted = new Promise<void>((resolve) => (releaseAll = resolve));
    const handle = await bus.consume({
      stream: 'EVENTS',
      durable: 'parallel',
      filterSubject: 'customer.created',
      parse: parseEnvelope,
      concurrency: 3,
      handle: async () => {
        active++;
        mostActive = Math.max(mostActive, active);
        if (active === 3) releaseAll();
        await Promise.race([allStarted, sleep(2_000)]);
        active--;
      },
    });
    handles.push(handle);
    for (const id of ['c1', 'c2', 'c3', 'c4']) await bus.publish('customer.created', envelope(id, 'customer.created'));

    await waitFor(() => handle.stats.processed === 4);
    expect(mostActive).toBe(3);
  });

  it('lets replicas share a durable: every message is handled by exactly one of them', async () => {
    const replica = await connectBus(namespace, 'replica-2');
    try {
      const handledBy = new Map<string, string[]>();
      const consumeAs = (name: string, on: Bus) =>
        on.consume({
          stream: 'EVENTS',
          durable: 'shared',
          filterSubject: 'product.created',
          parse: parseEnvelope,
          handle: async (message) => {
            handledBy.set(message.id, [...(handledBy.get(message.id) ?? []), name]);
          },
        });
      const handlesOfReplicas = [await consumeAs('one', bus), await consumeAs('two', replica)];
      handles.push(...handlesOfReplicas);
      const ids = Array.from({ length: 20 }, (_, n) => `p${n}`);
      for (const id of ids) await bus.publish('product.created', envelope(id, 'product.created'));

      await waitFor(() => handlesOfReplicas.reduce((sum, handle) => sum + handle.stats.processed, 0) === ids.length);
      expect([...handledBy.keys()].sort()).toEqual([...ids].sort());
      for (const names of handledBy.values()) expect(names).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });

  it('updates the durable when a new version of the service consumes with other settings', async () => {
    const options = { stream: 'EVENTS', durable: 'evolving', filterSubject: 'contact.created', parse: parseEnvelope };
    handles.push(await bus.consume({ ...options, handle: async () => undefined }));
    await handles.pop()!.stop({ graceMs: 0 });
    handles.push(await bus.consume({ ...options, maxDeliver: 3, ackWaitMs: 5_000, handle: async () => undefined }));

    const info = await bus.jsm.consumers.info(bus.streamName('EVENTS'), 'evolving');
    expect(info.config).toMatchObject({
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: `${namespace}.contact.created`,
      max_deliver: 4,
      ack_wait: 5_000_000_000,
    });
  });

  it('keeps the ack deadline alive while a handler outlasts AckWait: no second delivery', async () => {
    const deliveries: number[] = [];
    const handle = await bus.consume({
      stream: 'EVENTS',
      durable: 'long-running',
      filterSubject: 'record.written',
      parse: parseEnvelope,
      ackWaitMs: 600,
      concurrency: 2,
      handle: async (_message, ctx) => {
        deliveries.push(ctx.deliveryCount);
        await sleep(1_500);
      },
    });
    handles.push(handle);
    await bus.publish('record.written', envelope('rw-1', 'record.written'));

    await waitFor(() => handle.stats.processed === 1);
    expect(deliveries).toEqual([1]);
  });

  it('names the durables with messages still to deliver or to settle, until their handlers are done', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const handle = await bus.consume({
      stream: 'EVENTS',
      durable: 'unsettled',
      filterSubject: 'product.updated',
      parse: parseEnvelope,
      handle: async () => {
        started = true;
        await held;
      },
    });
    handles.push(handle);
    const ofThisDurable = async () => (await bus.unsettledConsumers()).filter((consumer) => consumer.durable === 'unsettled');
    expect(await ofThisDurable()).toEqual([]);

    for (const id of ['u1', 'u2']) await bus.publish('product.updated', envelope(id, 'product.updated'));
    await waitFor(() => started);
    expect(await ofThisDurable()).toEqual([{ stream: 'EVENTS', durable: 'unsettled', pending: 1, ackPending: 1 }]);

    release();
    await waitFor(async () => (await ofThisDurable()).length === 0);
    expect(handle.stats.processed).toBe(2);
  });

  it('finds no unsettled durables where no stream is declared yet', async () => {
    const empty = await connectBus(randomNamespace());
    try {
      expect(await empty.unsettledConsumers()).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});
