import { loadNatsValues, mayPublish, maySubscribe, type NatsUser, subjectMatches } from './nats-values';
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

  it('lets every service use JetStream, dead-letter and receive replies, but never delete or purge a stream', () => {
    for (const service of expectedServices()) {
      const account = user(service);
      expect(mayPublish(account, '$JS.API.CONSUMER.MSG.NEXT.EVENTS.mapping-deal-won')).toBe(true);
      expect(mayPublish(account, '$JS.ACK.EVENTS.mapping-deal-won.1.2.3.4.5')).toBe(true);
      expect(mayPublish(account, 'dlq.deal.won')).toBe(true);
      expect(maySubscribe(account, '_INBOX.abc.1')).toBe(true);
      expect(mayPublish(account, '$JS.API.STREAM.DELETE.EVENTS')).toBe(false);
      expect(mayPublish(account, '$JS.API.STREAM.PURGE.COMMANDS')).toBe(false);
    }
  });

  it('lets only mapping send commands and control requests, and only the scheduler and mapping request syncs', () => {
    for (const service of expectedServices()) {
      const account = user(service);
      expect(mayPublish(account, 'cmd.repairshopr.estimate.create')).toBe(service === 'mapping');
      expect(mayPublish(account, 'ctl.zzap.connection.test')).toBe(service === 'mapping');
      expect(mayPublish(account, 'config.schedule.updated')).toBe(service === 'mapping');
      expect(mayPublish(account, 'sync.requested')).toBe(service === 'mapping' || service === 'scheduler');
    }
  });

  it('lets each connector publish events and run updates and answer control requests for itself only', () => {
    for (const connector of expectedServices().filter(isConnector)) {
      const account = user(connector);
      for (const subject of ['deal.won', 'order.status.changed', 'record.written', 'sync.run.updated']) {
        expect(mayPublish(account, subject)).toBe(true);
      }
      expect(maySubscribe(account, `ctl.${connector}.connection.create`)).toBe(true);
      const other = expectedServices().find((service) => isConnector(service) && service !== connector);
      expect(maySubscribe(account, `ctl.${other}.connection.create`)).toBe(false);
      expect(account.permissions?.allow_responses).toBe(true);
    }
  });
});
