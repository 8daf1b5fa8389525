import { headers } from '@nats-io/transport-node';
import {
  Bus,
  DEAD_LETTER_HEADROOM_BYTES,
  PermanentError,
  RetryableError,
  type ConsumeOptions,
  type ConsumerHandle,
  type MessageContext,
} from '../src';
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

describe('failing messages and dead letters', () => {
  const namespace = randomNamespace();
  let bus: Bus;
  const handles: ConsumerHandle[] = [];

  /** A consumer on its own subject, with retries fast enough for a test. */
  async function consumeDeals(
    name: string,
    handle: (message: TestEnvelope, ctx: MessageContext) => Promise<void>,
    options: Partial<ConsumeOptions<TestEnvelope>> = {},
  ): Promise<ConsumerHandle> {
    const consumer = await bus.consume({
      stream: 'EVENTS',
      durable: name,
      filterSubject: `deal.${name}`,
      parse: parseEnvelope,
      handle,
      maxDeliver: 3,
      backoff: () => 50,
      ...options,
    });
    handles.push(consumer);
    return consumer;
  }

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

  it('dead-letters malformed JSON with its payload and headers, then goes on with the next message', async () => {
    const original = headers();
    original.set('x-origin', 'legacy-importer');
    const bad = await bus.js.publish(bus.subject('deal.malformed'), 'not json{', { msgID: 'bad-1', headers: original });
    await bus.publish('deal.malformed', envelope('good-1', 'deal.won'));
    const handled: string[] = [];
    const consumer = await consumeDeals('malformed', async (message) => {
      handled.push(message.id);
    });

    await waitFor(() => consumer.stats.processed === 1 && consumer.stats.deadLettered === 1);
    expect(handled).toEqual(['good-1']);
    const [letter, ...others] = await bus.listDeadLetters({ subject: 'deal.malformed' });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      subject: 'dlq.deal.malformed',
      originalSubject: 'deal.malformed',
      consumer: 'malformed',
      stream: 'EVENTS',
      streamSeq: bad.seq,
      deliveries: 1,
      msgId: 'bad-1',
      payload: 'not json{',
      headers: { 'x-origin': 'legacy-importer' },
    });
    expect(letter.reason).toBe(`invalid message: the body is not JSON: Unexpected token 'o', "not json{" is not valid JSON`);
    expect(Date.parse(letter.failedAt)).toBeGreaterThan(Date.now() - 60_000);
    const stored = await bus.jsm.streams.getMessage(bus.streamName('DLQ'), { seq: letter.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(`dlq:EVENTS:${bad.seq}`);
  });

  it('dead-letters an invalid message once, however many consumers read it', async () => {
    const bad = await bus.js.publish(bus.subject('deal.shared'), '', { msgID: 'empty-1' });
    const consumers = await Promise.all(
      ['shared-a', 'shared-b', 'shared-c'].map((name) => consumeDeals(name, async () => {}, { filterSubject: 'deal.shared' })),
    );

    await waitFor(() => consumers.every((consumer) => consumer.stats.deadLettered === 1));
    const letters = await bus.listDeadLetters({ subject: 'deal.shared' });
    expect(letters.map((letter) => [letter.streamSeq, letter.reason])).toEqual([
      [bad.seq, 'invalid message: the body is empty; a JSON document was expected'],
    ]);
    for (const consumer of consumers) {
      const info = await bus.jsm.consumers.info(bus.streamName('EVENTS'), consumer.durable);
      expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    }
  });

  it('dead-letters a message as large as its stream allows, and the stream refuses a larger one to its publisher', async () => {
    const { max_msg_size: limit } = (await bus.jsm.streams.info(bus.streamName('EVENTS'))).config;
    expect(limit).toBe(bus.nc.info!.max_payload - DEAD_LETTER_HEADROOM_BYTES);
    // Without a msgID the message has no headers, which would count against the limit too.
    const largest = new Uint8Array(limit).fill(0x7b); // '{{{…': not JSON
    const large = await bus.js.publish(bus.subject('deal.large'), largest);
    await expect(bus.js.publish(bus.subject('deal.large'), new Uint8Array(limit + 1))).rejects.toThrow(
      'message size exceeds maximum allowed',
    );
    const consumer = await consumeDeals('large', async () => {});

    await waitFor(() => consumer.stats.deadLettered === 1, 10_000);
    const [letter] = await bus.listDeadLetters({ subject: 'deal.large' });
    expect(letter).toMatchObject({ streamSeq: large.seq, payload: '{'.repeat(limit) });
    expect(letter.reason).toMatch(/^invalid message: the body is not JSON: /);
  });

  it('dead-letters a message its contract rejects, with the parse error as reason', async () => {
    await bus.publish('deal.rejected', { id: 'no-amount', type: 'deal.won', data: { amount: 'lots' } });
    await bus.publish('deal.rejected', envelope('fine', 'deal.won'));
    const handled: string[] = [];
    const consumer = await consumeDeals('rejected', async (message) => {
      handled.push(message.id);
    });

    await waitFor(() => consumer.stats.processed === 1 && consumer.stats.deadLettered === 1);
    expect(handled).toEqual(['fine']);
    const [letter] = await bus.listDeadLetters({ subject: 'deal.rejected' });
    expect(letter.reason).toMatch(/^invalid message: .*amount/s);
    const stored = await bus.jsm.streams.getMessage(bus.streamName('DLQ'), { seq: letter.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(`dlq:EVENTS:${letter.streamSeq}`);
    expect(JSON.parse(letter.payload)).toEqual({ id: 'no-amount', type: 'deal.won', data: { amount: 'lots' } });
    expect(letter.msgId).toBe('no-amount');
  });

  it('retries a RetryableError after its retryAfterMs until the handler succeeds', async () => {
    const attempts: Array<{ deliveryCount: number; at: number }> = [];
    const consumer = await consumeDeals(
      'retried',
      async (_message, ctx) => {
        attempts.push({ deliveryCount: ctx.deliveryCount, at: Date.now() });
        if (ctx.deliveryCount < 3) throw new RetryableError('vendor answered 429', { retryAfterMs: 300 });
      },
      { maxDeliver: 5 },
    );
    await bus.publish('deal.retried', envelope('retry-1', 'deal.won'));

    await waitFor(() => consumer.stats.processed === 1);
    expect(attempts.map((attempt) => attempt.deliveryCount)).toEqual([1, 2, 3]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(250);
    expect(consumer.stats).toEqual({ processed: 1, failed: 2, deadLettered: 0 });
    expect(await bus.listDeadLetters({ subject: 'deal.retried' })).toEqual([]);
  });

  it('gives up after maxDeliver deliveries of a message that always fails, and dead-letters it once', async () => {
    const deliveries: number[] = [];
    const consumer = await consumeDeals('poison', async (_message, ctx) => {
      deliveries.push(ctx.deliveryCount);
      throw new Error('vendor rejected the payload');
    });
    await bus.publish('deal.poison', envelope('poison-1', 'deal.won'));
    await bus.publish('deal.poison', envelope('poison-2', 'deal.won'));

    await waitFor(() => consumer.stats.deadLettered === 2);
    await sleep(300);
    expect(deliveries).toEqual([1, 1, 2, 2, 3, 3]);
    const letters = await bus.listDeadLetters({ subject: 'deal.poison' });
    expect(letters.map((letter) => [letter.msgId, letter.reason, letter.deliveries])).toEqual([
      ['poison-1', 'gave up after 3 deliveries: vendor rejected the payload', 3],
      ['poison-2', 'gave up after 3 deliveries: vendor rejected the payload', 3],
    ]);
    const info = await bus.jsm.consumers.info(bus.streamName('EVENTS'), 'poison');
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('dead-letters a PermanentError at once with its reason', async () => {
    const deliveries: number[] = [];
    const consumer = await consumeDeals('permanent', async (_message, ctx) => {
      deliveries.push(ctx.deliveryCount);
      throw new PermanentError('customer is archived in the CRM');
    });
    await bus.publish('deal.permanent', envelope('perm-1', 'deal.won'));

    await waitFor(() => consumer.stats.deadLettered === 1);
    await sleep(200);
    expect(deliveries).toEqual([1]);
    const [letter] = await bus.listDeadLetters({ subject: 'deal.permanent' });
    expect(letter).toMatchObject({ reason: 'customer is archived in the CRM', deliveries: 1, consumer: 'permanent' });
  });

  it('dead-letters at once a message whose handler publishes something larger than its stream takes', async () => {
    const deliveries: number[] = [];
    const consumer = await consumeDeals('oversized', async (message, ctx) => {
      deliveries.push(ctx.deliveryCount);
      await bus.publish('deal.oversized.copy', { ...message, id: `${message.id}-copy`, padding: 'x'.repeat(2 * 1024 * 1024) });
    });
    await bus.publish('deal.oversized', envelope('fan-out-1', 'deal.won'));

    await waitFor(() => consumer.stats.deadLettered === 1);
    expect(deliveries).toEqual([1]);
    const [letter] = await bus.listDeadLetters({ subject: 'deal.oversized' });
    expect(letter.reason).toMatch(/^a message of \d+ bytes to 'deal\.oversized\.copy' is larger than its stream takes$/);
  });

  it('replays a dead letter to its subject: the fixed handler processes it and the DLQ no longer holds it', async () => {
    let fixed = false;
    const handled: MessageContext[] = [];
    const consumer = await consumeDeals('replayed', async (_message, ctx) => {
      if (!fixed) throw new PermanentError('mapping rule missing');
      handled.push(ctx);
    });
    await bus.publish('deal.replayed', envelope('replay-1', 'deal.won', 42), { headers: { 'x-tenant': 'acme' } });
    await waitFor(() => consumer.stats.deadLettered === 1);
    const [letter] = await bus.listDeadLetters({ subject: 'deal.replayed' });

    fixed = true;
    const replayed = await bus.replayDeadLetter(letter.seq);

    await waitFor(() => consumer.stats.processed === 1);
    expect(handled[0]).toMatchObject({ streamSeq: replayed.seq, msgId: `replay-1:replay:${letter.seq}` });
    expect(handled[0].headers['x-tenant']).toBe('acme');
    expect(await bus.listDeadLetters({ subject: 'deal.replayed' })).toEqual([]);
    await expect(bus.replayDeadLetter(letter.seq)).rejects.toThrow(`dead letter ${letter.seq} not found`);
  });

  it('dead-letters a message its consumer acked and held elsewhere, as the delivery it came from, and replays it', async () => {
    const held: MessageContext[] = [];
    const consumer = await consumeDeals('held', async (_message, ctx) => void held.push(ctx));
    await bus.publish('deal.held', envelope('held-1', 'deal.won', 7));
    await waitFor(() => consumer.stats.processed === 1);
    const [ctx] = held;
    const failure = {
      subject: ctx.subject,
      stream: ctx.stream,
      durable: ctx.durable,
      streamSeq: ctx.streamSeq,
      deliveries: ctx.deliveryCount,
      payload: new TextEncoder().encode(JSON.stringify(envelope('held-1', 'deal.won', 7))),
      msgId: ctx.msgId,
      headers: { 'x-tenant': 'acme' },
      reason: 'waited 24 h for customer c-1, which never came',
    };

    await bus.deadLetter(failure);
    await bus.deadLetter(failure);

    const [letter, ...others] = await bus.listDeadLetters({ subject: 'deal.held' });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      originalSubject: 'deal.held',
      consumer: 'held',
      stream: 'EVENTS',
      streamSeq: ctx.streamSeq,
      deliveries: 1,
      msgId: 'held-1',
      reason: failure.reason,
      headers: { 'x-tenant': 'acme' },
    });
    const stored = await bus.jsm.streams.getMessage(bus.streamName('DLQ'), { seq: letter.seq });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(`dlq:EVENTS:held:${ctx.streamSeq}`);

    await bus.replayDeadLetter(letter.seq);
    await waitFor(() => consumer.stats.processed === 2);
    expect(held[1]).toMatchObject({ msgId: `held-1:replay:${letter.seq}`, headers: expect.objectContaining({ 'x-tenant': 'acme' }) });
  });

  it('lists dead letters oldest first, filtered by original subject and limited', async () => {
    const consumer = await consumeDeals(
      'listed',
      async () => {
        throw new PermanentError('nope');
      },
      { filterSubject: 'deal.listed.>' },
    );
    for (const [id, subject] of [['l1', 'deal.listed.a'], ['l2', 'deal.listed.b'], ['l3', 'deal.listed.a']]) {
      await bus.publish(subject, envelope(id, 'deal.won'));
    }
    await waitFor(() => consumer.stats.deadLettered === 3);

    const ids = async (query: Parameters<Bus['listDeadLetters']>[0]) =>
      (await bus.listDeadLetters(query)).map((letter) => letter.msgId);
    expect(await ids({ subject: 'deal.listed.>' })).toEqual(['l1', 'l2', 'l3']);
    expect(await ids({ subject: 'deal.listed.a' })).toEqual(['l1', 'l3']);
    expect(await ids({ subject: 'deal.listed.>', limit: 2 })).toEqual(['l1', 'l2']);
    expect(await ids({})).toEqual(expect.arrayContaining(['l1', 'l2', 'l3']));
  });

  it('reads one dead letter by its sequence and deletes it', async () => {
    const consumer = await consumeDeals('deleted', async () => {
      throw new PermanentError('nope');
    });
    await bus.publish('deal.deleted', envelope('d1', 'deal.won'));
    await waitFor(() => consumer.stats.deadLettered === 1);
    const [letter] = await bus.listDeadLetters({ subject: 'deal.deleted' });
    expect(await bus.getDeadLetter(letter.seq)).toEqual(letter);

    expect(await bus.deleteDeadLetter(letter.seq)).toBe(true);
    expect(await bus.getDeadLetter(letter.seq)).toBeUndefined();
    expect(await bus.deleteDeadLetter(letter.seq)).toBe(false);
    expect(await bus.listDeadLetters({ subject: 'deal.deleted' })).toEqual([]);
  });
});
