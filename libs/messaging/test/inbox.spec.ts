import { randomBytes } from 'node:crypto';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { Bus, inboxPrefix, type Reply } from '../src';
import { connectBus, deleteNamespaceStreams, envelope, NATS_URL, parseEnvelope, randomNamespace, waitFor } from './helpers';

// NATS permissions can only keep one service from reading another's replies if every reply to a bus, core or
// JetStream, arrives under its own prefix. A second connection listens there and sees them.
describe("a bus's own inbox prefix", () => {
  const namespace = randomNamespace();
  const name = `inbox-test-${randomBytes(3).toString('hex')}`;
  const underPrefix: Msg[] = [];
  let listener: NatsConnection;
  let bus: Bus;
  let server: Bus;

  beforeAll(async () => {
    listener = await connect({ servers: NATS_URL });
    listener.subscribe(`${inboxPrefix(name)}.>`, {
      callback: (_err, msg) => {
        underPrefix.push(msg);
      },
    });
    await listener.flush();
    bus = await connectBus(namespace, name);
    server = await connectBus(namespace, 'inbox-test-server');
    await bus.ensureStreams();
  });

  afterAll(async () => {
    await Promise.all([bus.close(), server.close()]);
    await listener.close();
    await deleteNamespaceStreams(namespace);
  });

  const seenUnderPrefix = (text: string) => waitFor(() => underPrefix.some((msg) => msg.string().includes(text)));

  it('receives the reply to a request there', async () => {
    const answering = server.serve(
      'ctl.inbox.connection.test',
      (raw) => raw,
      async (): Promise<Reply<string>> => ({ ok: true, data: 'answered-by-server' }),
    );
    try {
      // The server's subscription reaches NATS before the request does (they are two connections).
      await server.nc.flush();
      const reply = await bus.request('ctl.inbox.connection.test', {}, (raw) => raw);
      expect(reply).toEqual({ ok: true, data: 'answered-by-server' });
      await seenUnderPrefix('answered-by-server');
    } finally {
      await answering.stop();
    }
  });

  it('receives JetStream API answers, publish acks and the messages its consumers pull there', async () => {
    await bus.publish('deal.won', envelope('pulled-through-inbox', 'deal.won'));
    const consumer = await bus.consume({
      stream: 'EVENTS',
      durable: 'inbox',
      filterSubject: 'deal.won',
      parse: parseEnvelope,
      handle: async () => {},
    });
    try {
      await waitFor(() => consumer.stats.processed === 1);
      // The publish ack, the consumer's create answer, the pulled message itself.
      await seenUnderPrefix(`"stream":"${bus.streamName('EVENTS')}"`);
      await seenUnderPrefix('"name":"inbox"');
      await seenUnderPrefix('pulled-through-inbox');
    } finally {
      await consumer.stop({ graceMs: 0 });
    }
  });
});
