import { Client } from 'pg';
import { FakeConnector } from './support/fake-connector';
import { zzapOrder } from './support/fixtures';
import { useMappingApp } from './support/mapping-app';
import { storedMessages, waitFor } from './support/stream-reader';

// EVENT_CONCURRENCY: each consumer of mapping handles that many events at once. The test holds the inbox table
// locked, so every event being handled waits on it in Postgres where it can be counted, and then lets them all go.

process.env.MAPPING_EVENT_CONCURRENCY = '3';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('EVENT_CONCURRENCY', () => {
  const app = useMappingApp();
  const zzap = new FakeConnector('zzap');
  const retailcrm = new FakeConnector('retailcrm');
  const locker = new Client({ connectionString: databaseUrl });

  beforeAll(async () => {
    zzap.start(app.bus).add('zz-1');
    retailcrm.start(app.bus).add('rc-1');
    const created = await app.api('POST', '/v1/integrations', {
      kind: 'zzap-retailcrm',
      name: 'ZZap parts',
      sourceConnectionId: 'zz-1',
      targetConnectionId: 'rc-1',
      settings: { storeCode: 'parts', statusMap: [{ retailcrm: { id: 'new', name: 'New' }, zzap: { id: '1', name: 'Pending' } }] },
    });
    expect(created.status).toBe(201);
    await locker.connect();
  });

  afterAll(async () => {
    delete process.env.MAPPING_EVENT_CONCURRENCY;
    await locker.end();
    await zzap.stop();
    await retailcrm.stop();
  });

  function orderCreated(sourceId: string) {
    return {
      id: `zzap:zz-1:order:${sourceId}:created`,
      type: 'order.created',
      version: 1,
      source: { connector: 'zzap', connectionId: 'zz-1' },
      occurredAt: '2024-09-23T13:00:00Z',
      data: zzapOrder(sourceId),
    };
  }

  /**
   * Mapping's statements waiting for the test's lock on its inbox; read outside the locking transaction, which would
   * see pg_stat_activity as it first read it.
   */
  async function waitingOnInbox(): Promise<number> {
    const [{ waiting }] = await app.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
       WHERE wait_event_type = 'Lock' AND query LIKE '%{schema}%inbox%'`,
    );
    return waiting;
  }

  it('handles that many events of a subject at once, and the rest as they finish', async () => {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE "${app.schema}".inbox IN SHARE MODE`);
    const events = ['501', '502', '503', '504', '505', '506'].map(orderCreated);
    try {
      for (const event of events) await app.bus.publish('order.created', event);
      await waitFor(async () => (await waitingOnInbox()) === 3 || undefined);
      // The other three stay in the stream: no fourth handler starts while three wait.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await waitingOnInbox()).toBe(3);
    } finally {
      await locker.query('COMMIT');
    }
    const routed = await waitFor(async () => {
      const commands = await storedMessages(app.bus, 'COMMANDS', 'cmd.retailcrm.order.upsert');
      return commands.length === events.length ? commands : undefined;
    });
    expect(routed.map((command) => command.envelope.causationId).sort()).toEqual(events.map((event) => event.id));
  });
});
