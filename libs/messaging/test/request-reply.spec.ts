import { z } from 'zod';
import { Bus, RequestFailedError, type Reply } from '../src';
import { connectBus, randomNamespace, sleep } from './helpers';

const CheckRequest = z.object({ connectionId: z.string() });
const CheckReply = z.union([
  z.object({ ok: z.literal(true), data: z.object({ connectionId: z.string(), status: z.string() }) }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
const parseReply = (raw: unknown) => CheckReply.parse(raw);

describe('request/reply over core NATS', () => {
  const namespace = randomNamespace();
  const subject = 'ctl.test.connection.check';
  let bus: Bus;

  beforeAll(async () => {
    bus = await connectBus(namespace, 'ctl-test');
  });

  afterAll(async () => {
    await bus.close();
  });

  it('answers a request with the handler reply, on the namespaced subject', async () => {
    const received: unknown[] = [];
    const server = bus.serve(
      subject,
      (raw) => CheckRequest.parse(raw),
      async (request): Promise<Reply<{ connectionId: string; status: string }>> => {
        received.push(request);
        return { ok: true, data: { connectionId: request.connectionId, status: 'connected' } };
      },
    );
    try {
      const reply = await bus.request(subject, { connectionId: 'c1' }, parseReply);
      expect(reply).toEqual({ ok: true, data: { connectionId: 'c1', status: 'connected' } });
      expect(received).toEqual([{ connectionId: 'c1' }]);
      const raw = await bus.nc.request(`${namespace}.${subject}`, JSON.stringify({ connectionId: 'c2' }));
      expect(raw.json()).toEqual({ ok: true, data: { connectionId: 'c2', status: 'connected' } });
    } finally {
      await server.stop();
    }
  });

  it('replies with an error instead of going silent when the handler throws or the request is invalid', async () => {
    const server = bus.serve(
      subject,
      (raw) => CheckRequest.parse(raw),
      async () => {
        throw new Error('vendor unreachable');
      },
    );
    try {
      expect(await bus.request(subject, { connectionId: 'c1' }, parseReply)).toEqual({
        ok: false,
        error: { code: 'internal', message: 'vendor unreachable' },
      });
      const invalid = await bus.request(subject, { connection: 42 }, parseReply);
      expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    } finally {
      await server.stop();
    }
  });

  it('fails clearly when nobody serves the subject', async () => {
    const attempt = bus.request('ctl.nobody.connection.check', {}, parseReply);
    await expect(attempt).rejects.toBeInstanceOf(RequestFailedError);
    await expect(attempt).rejects.toMatchObject({
      kind: 'no_responders',
      subject: 'ctl.nobody.connection.check',
      message: "no service answers requests on 'ctl.nobody.connection.check'",
    });
  });

  it('fails clearly when the reply does not come in time', async () => {
    const server = bus.serve(subject, (raw) => raw, async () => {
      await sleep(500);
      return { ok: true, data: null };
    });
    try {
      await expect(bus.request(subject, {}, parseReply, { timeoutMs: 100 })).rejects.toMatchObject({
        kind: 'timeout',
        message: `request on '${subject}' got no reply within 100 ms`,
      });
    } finally {
      await server.stop();
    }
  });

  it('shares requests among replicas through the queue group named after the service', async () => {
    const replica = await connectBus(namespace, 'ctl-test');
    const answeredBy: string[] = [];
    const serveAs = (name: string, on: Bus) =>
      on.serve(subject, (raw) => raw, async () => {
        answeredBy.push(name);
        return { ok: true, data: { connectionId: name, status: 'connected' } };
      });
    const servers = [serveAs('one', bus), serveAs('two', replica)];
    try {
      await replica.nc.flush();
      for (let n = 0; n < 20; n++) await bus.request(subject, {}, parseReply);
      await sleep(100);
      expect(answeredBy).toHaveLength(20);
      expect(new Set(answeredBy)).toEqual(new Set(['one', 'two']));
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      await replica.close();
    }
  });

  it('stops answering once the server is stopped', async () => {
    const server = bus.serve(subject, (raw) => raw, async () => ({ ok: true, data: { connectionId: 'x', status: 'up' } }));
    await bus.request(subject, {}, parseReply);
    await server.stop();
    await server.stop();
    await expect(bus.request(subject, {}, parseReply)).rejects.toMatchObject({ kind: 'no_responders' });
  });
});
