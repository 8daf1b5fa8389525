import { Bus, inboxPrefix } from '@junction/messaging';
import { busUsage, busUsages, candidateSubjects } from './bus-usage';
import { startNatsServer, type NatsServer } from './nats-server';
import { waitFor } from './processes';
import { loadNatsValues, mayPublish, maySubscribe, type NatsUser, permissionProblems, subjectMatches } from './nats-values';
import { expectedServices, isConnector } from './workspace';

describe('subjectMatches', () => {
  it('follows NATS wildcard rules', () => {
    expect(subjectMatches('cmd.>', 'cmd.zzap.order.status.set')).toBe(true);
    expect(subjectMatches('cmd.>', 'cmd')).toBe(false);
    expect(subjectMatches('ctl.*.connection.*', 'ctl.zzap.connection.test')).toBe(true);
    expect(subjectMatches('ctl.*.connection.*', 'ctl.zzap.connection.test.extra')).toBe(false);
    expect(subjectMatches('sync.requested', 'sync.run.updated')).toBe(false);
  });
});

describe('deploy/nats/values.yaml', () => {
  const values = loadNatsValues();
  const account = values.config.merge.accounts.JUNCTION;
  const user = (name: string): NatsUser => {
    const found = account.users.find((candidate) => candidate.user === name);
    if (!found) throw new Error(`no NATS user ${name}`);
    return found;
  };
  const candidates = candidateSubjects(busUsages());

  it('enables JetStream with file storage for the Junction account', () => {
    expect(values.config.jetstream).toMatchObject({ enabled: true, fileStore: { enabled: true } });
    expect(account.jetstream).toBe('enabled');
  });

  it('gives every service a user whose password comes from a Secret', () => {
    for (const service of expectedServices()) {
      const variable = `${service.toUpperCase()}_PASS`;
      expect(user(service).password).toBe(`<< $${variable} >>`);
      expect(values.container.env[variable].valueFrom?.secretKeyRef).toEqual({ name: 'junction-nats-users', key: service });
    }
  });

  it.each(expectedServices())('allows %s exactly what its code does on NATS', (service) => {
    expect(permissionProblems(user(service), busUsage(service), candidates)).toEqual([]);
  });

  it('lets no service delete, purge or read a stream, or use a durable consumer that is not its own', () => {
    for (const service of expectedServices()) {
      const account = user(service);
      const other = service === 'repairshopr' ? 'zomentum' : 'repairshopr';
      for (const subject of [
        '$JS.API.STREAM.DELETE.EVENTS',
        '$JS.API.STREAM.PURGE.COMMANDS',
        '$JS.API.STREAM.MSG.GET.EVENTS',
        '$JS.API.CONSUMER.CREATE.EVENTS.intruder.deal.won',
        `$JS.API.CONSUMER.MSG.NEXT.COMMANDS.${other}-commands`,
        `$JS.API.CONSUMER.DELETE.SYNC.${other}-sync`,
      ]) {
        expect(`${service} ${subject} ${mayPublish(account, subject)}`).toBe(`${service} ${subject} false`);
      }
      expect(maySubscribe(account, '$JS.API.STREAM.CREATE.EVENTS')).toBe(false);
    }
  });

  it('lets only mapping send commands, control requests and schedule changes, and declare the streams', () => {
    for (const service of expectedServices()) {
      const account = user(service);
      expect(mayPublish(account, 'cmd.repairshopr.estimate.create')).toBe(service === 'mapping');
      expect(mayPublish(account, 'ctl.zzap.connection.test')).toBe(service === 'mapping');
      expect(mayPublish(account, 'config.schedule.updated')).toBe(service === 'mapping');
      expect(mayPublish(account, '$JS.API.STREAM.UPDATE.EVENTS')).toBe(service === 'mapping');
      expect(mayPublish(account, 'sync.requested')).toBe(service === 'mapping' || service === 'scheduler');
    }
  });

  it('lets each connector answer control requests for itself only, and no other service answer any', () => {
    for (const service of expectedServices()) {
      const account = user(service);
      const other = expectedServices().find((candidate) => isConnector(candidate) && candidate !== service);
      expect(maySubscribe(account, `ctl.${service}.connection.upsert`)).toBe(isConnector(service));
      expect(maySubscribe(account, `ctl.${other}.connection.upsert`)).toBe(false);
      expect(account.permissions?.allow_responses ?? false).toBe(isConnector(service));
    }
  });

  it("lets each service read its own inbox only, never another's or the default one", () => {
    for (const service of expectedServices()) {
      const account = user(service);
      const other = service === 'mapping' ? 'zzap' : 'mapping';
      expect(maySubscribe(account, `${inboxPrefix(service)}.reply.1`)).toBe(true);
      expect(maySubscribe(account, `${inboxPrefix(other)}.reply.1`)).toBe(false);
      expect(maySubscribe(account, '_INBOX.reply.1')).toBe(false);
      expect(maySubscribe(account, '>')).toBe(false);
    }
  });

  it('names a permission wider than the code needs, and one it lacks', () => {
    const zzap = user('zzap');
    const wide: NatsUser = { ...zzap, permissions: { ...zzap.permissions, publish: { allow: ['$JS.API.>', 'order.>'] } } };
    const problems = permissionProblems(wide, busUsage('zzap'), candidates);
    expect(problems).toContain('zzap may publish $JS.API.STREAM.DELETE.EVENTS without needing to');
    expect(problems).toContain('zzap may not publish sync.run.updated, which it needs');
  });
});

describe('a nats-server configured from deploy/nats/values.yaml', () => {
  let server: NatsServer;
  const buses: Bus[] = [];
  const connect = async (service: string) => {
    const bus = await Bus.connect({ servers: server.url, name: service, user: service, pass: server.passwordOf(service) });
    buses.push(bus);
    return bus;
  };

  beforeAll(async () => {
    server = await startNatsServer();
  });

  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await server?.stop();
  });

  it('lets mapping declare the streams, and a connector check them, consume its commands and publish its events', async () => {
    const zzap = await connect('zzap');
    // Started before mapping, a connector fails its start (and Kubernetes restarts it).
    await expect(zzap.ensureStreams()).rejects.toThrow(/Permissions Violation for Publish to "\$JS\.API\.STREAM\.CREATE\./);
    expect(await (await connect('mapping')).ensureStreams()).toMatchObject({ EVENTS: 'created', DLQ: 'created' });
    expect(await zzap.ensureStreams()).toMatchObject({ EVENTS: 'unchanged' });
    const consumer = await zzap.consume({
      stream: 'COMMANDS',
      durable: 'zzap-commands',
      filterSubject: 'cmd.zzap.>',
      parse: (raw) => raw,
      handle: async () => {},
    });
    await consumer.stop({ graceMs: 0 });
    expect(await zzap.publish('order.created', { id: 'e1' })).toMatchObject({ duplicate: false });
    // Nothing refused but the stream declarations before mapping's.
    const refused = server.violations().map((line) => /User "(\w+)", Subject "([^"]+)"/.exec(line)?.slice(1).join(' '));
    expect(refused.sort()).toEqual(['COMMANDS', 'CONFIG', 'DLQ', 'EVENTS', 'SYNC'].map((stream) => `zzap $JS.API.STREAM.CREATE.${stream}`));
  });

  it('refuses what the user is not allowed, and logs it', async () => {
    const zzap = await connect('zzap');
    await expect(zzap.publish('cmd.repairshopr.estimate.create', { id: 'c1' })).rejects.toThrow(/Permissions Violation/);
    await expect(
      zzap.consume({ stream: 'COMMANDS', durable: 'zzap-spy', filterSubject: 'cmd.>', parse: (raw) => raw, handle: async () => {} }),
    ).rejects.toThrow(/Permissions Violation/);
    await expect(zzap.jsm.streams.delete('EVENTS')).rejects.toThrow(/Permissions Violation/);
    expect(server.violations().join('\n')).toContain('Publish Violation - User "zzap", Subject "cmd.repairshopr.estimate.create"');
  });

  it("keeps a service out of another service's inbox", async () => {
    // zzap posing as mapping, to read the replies on mapping's inbox, fails at its first JetStream call.
    await expect(
      Bus.connect({ servers: server.url, name: 'mapping', user: 'zzap', pass: server.passwordOf('zzap') }),
    ).rejects.toThrow(/Permissions Violation for Subscription to "_INBOX_mapping\./);
    const zzap = await connect('zzap');
    const spy = zzap.nc.subscribe(`${inboxPrefix('mapping')}.>`);
    await expect(spy.closed).resolves.toThrow(/Permissions Violation/);
    // The server writes its log on its own time.
    const refused = `Subscription Violation - User "zzap", Subject "${inboxPrefix('mapping')}.>"`;
    const logged = async () => (server.violations().join('\n').includes(refused) ? true : undefined);
    await waitFor('the refused subscription in the log', logged, 10_000, 50);
  });
});
