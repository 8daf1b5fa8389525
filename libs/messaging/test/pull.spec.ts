import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { Bus, type ConsumerHandle } from '../src';
import { DurablePull } from '../src/pull';
import { connectBus, deleteNamespaceStreams, envelope, NATS_URL, parseEnvelope, randomNamespace, sleep, waitFor } from './helpers';

describe('DurablePull', () => {
  const stream = `pull_${randomBytes(4).toString('hex')}`;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const pulls: DurablePull[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  });

  afterEach(async () => {
    for (const pull of pulls.splice(0)) pull.close();
  });

  afterAll(async () => {
    await jsm.streams.delete(stream);
    await nc.close();
  });

  // Each test's durable reads a subject of its own.
  const subjectOf = (durable: string) => `${stream}.${durable}`;

  async function addDurable(durable: string): Promise<void> {
    await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, filter_subject: subjectOf(durable) });
  }

  /** A pull whose handler records each message and how many ran at once. */
  function startPull(durable: string, options: { capacity: number; expiresMs: number; heartbeatMs: number }) {
    const seen = { payloads: [] as string[], running: 0, mostRunning: 0, troubles: [] as string[] };
    const pull = new DurablePull({
      nc,
      stream,
      durable,
      inboxPrefix: '_INBOX_pull_test',
      ...options,
      handle: async (msg: JsMsg) => {
        seen.running++;
        seen.mostRunning = Math.max(seen.mostRunning, seen.running);
        await sleep(20);
        seen.payloads.push(msg.string());
        msg.ack();
        seen.running--;
      },
      onTrouble: (reason) => seen.troubles.push(reason),
    });
    pulls.push(pull);
    pull.start();
    return seen;
  }

  async function publish(durable: string, count: number): Promise<string[]> {
    const js = jetstream(nc);
    const payloads = Array.from({ length: count }, (_, n) => `${durable}-${n}`);
    for (const payload of payloads) await js.publish(subjectOf(durable), payload);
    return payloads;
  }

  it('asks again for what expired requests left unsent, so messages published long after still arrive', async () => {
    await addDurable('expiring');
    const seen = startPull('expiring', { capacity: 2, expiresMs: 300, heartbeatMs: 100 });

    // Several requests expire meanwhile (408, with what they did not send); each is asked for again at once.
    await sleep(1_000);
    const payloads = await publish('expiring', 5);

    // Without the 408s' slots given back only the watchdog would ask again, which `troubles` would show.
    await waitFor(() => seen.payloads.length === 5, 3_000);
    expect(seen.payloads.sort()).toEqual(payloads.sort());
    expect(seen.mostRunning).toBeLessThanOrEqual(2);
    expect(seen.troubles).toEqual([]);
  });

  it('asks again after the server drops its requests: the durable deleted and made again', async () => {
    await addDurable('recreated');
    const seen = startPull('recreated', { capacity: 3, expiresMs: 30_000, heartbeatMs: 5_000 });
    await sleep(100);

    await jsm.consumers.delete(stream, 'recreated');
    await addDurable('recreated');
    const payloads = await publish('recreated', 4);

    await waitFor(() => seen.payloads.length === 4, 5_000);
    expect(seen.payloads.sort()).toEqual(payloads.sort());
    expect(seen.troubles[0]).toMatch(/^the server answered 409 consumer deleted/i);
  });
});

describe('Bus.consume pulls no more than it can handle', () => {
  const namespace = randomNamespace();
  let bus: Bus;
  let replica: Bus;
  const handles: ConsumerHandle[] = [];

  beforeAll(async () => {
    bus = await connectBus(namespace);
    replica = await connectBus(namespace, 'replica-2');
    await bus.ensureStreams();
  });

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.stop({ graceMs: 0 })));
    await replica.close();
    await bus.close();
    await deleteNamespaceStreams(namespace);
  });

  it('leaves a busy replica only the messages it is handling: the others go to a free replica', async () => {
    let releaseSlow!: () => void;
    const slowMayGo = new Promise<void>((resolve) => (releaseSlow = resolve));
    const slowGot: string[] = [];
    const fastGot: string[] = [];
    const consumeWith = (on: Bus, handle: (id: string) => Promise<void>) =>
      on.consume({
        stream: 'EVENTS',
        durable: 'bounded',
        filterSubject: 'deal.won',
        parse: parseEnvelope,
        concurrency: 2,
        handle: (message) => handle(message.id),
      });
    handles.push(
      await consumeWith(bus, async (id) => {
        slowGot.push(id);
        await slowMayGo;
      }),
    );
    const ids = Array.from({ length: 30 }, (_, n) => `d${n}`);
    for (const id of ids.slice(0, 2)) await bus.publish('deal.won', envelope(id, 'deal.won'));
    await waitFor(() => slowGot.length === 2);

    // The slow replica's two slots are taken: it asks for nothing more, so every later message waits for a free one.
    handles.push(
      await consumeWith(replica, async (id) => {
        fastGot.push(id);
      }),
    );
    for (const id of ids.slice(2)) await bus.publish('deal.won', envelope(id, 'deal.won'));
    await waitFor(() => fastGot.length === 28);
    releaseSlow();

    expect(slowGot).toEqual(['d0', 'd1']);
    expect(fastGot.sort()).toEqual(ids.slice(2).sort());
  });
});
