import { messageId, sourceKey } from '@junction/contracts';
import { FakeConnector } from './support/fake-connector';
import { useMappingApp } from './support/mapping-app';
import { storedMessages, waitFor } from './support/stream-reader';

// A RetailCRM status change of an order Junction created from ZZap can come before the order's record.written (the
// retailcrm service died after the write, before its ack; JetStream redelivers the command ~30 s later). The change
// waits for that link, visibly, and goes on to ZZap as soon as it is recorded, once. A change of an order made in
// RetailCRM produces nothing and does not wait; one whose link never comes is given up, visibly, after LINK_WAIT_MS.

// Sweeps often, so the give-up below is seen soon after the wait is made to look old.
process.env.MAPPING_LINK_WAIT_SWEEP_MS = '200';

describe('events that wait for a link', () => {
  const app = useMappingApp();
  const zzap = new FakeConnector('zzap');
  const retailcrm = new FakeConnector('retailcrm');
  let integrationId: string;
  const settings = {
    storeCode: 'parts',
    statusCrmToZzap: true,
    statusMap: [
      { retailcrm: { id: 'new', name: 'New' }, zzap: { id: '1', name: 'Pending' } },
      { retailcrm: { id: 'assembling', name: 'Assembling' }, zzap: { id: '4', name: 'In work' } },
    ],
  };
  const draft = { kind: 'zzap-retailcrm', name: 'ZZap parts', sourceConnectionId: 'zz-1', targetConnectionId: 'rc-1', settings };

  beforeAll(async () => {
    zzap.start(app.bus).add('zz-1');
    retailcrm.start(app.bus).add('rc-1');
    const created = await app.api('POST', '/v1/integrations', draft);
    expect(created.status).toBe(201);
    integrationId = created.body.id;
  });

  afterAll(async () => {
    delete process.env.MAPPING_LINK_WAIT_SWEEP_MS;
    await zzap.stop();
    await retailcrm.stop();
  });

  /** A status change RetailCRM's history reports; `zzapOrder`: the ZZap order its externalId names. */
  function statusChange(historyId: number, crmOrder: string, to: string, zzapOrder?: string) {
    return {
      id: messageId('retailcrm', 'rc-1', 'order', crmOrder, historyId),
      type: 'order.status.changed',
      version: 1,
      source: { connector: 'retailcrm', connectionId: 'rc-1' },
      occurredAt: '2024-09-23T15:00:00Z',
      data: {
        orderSourceId: crmOrder,
        orderNumber: `${crmOrder}A`,
        changeSourceId: String(historyId),
        ...(zzapOrder ? { orderOrigin: { connector: 'zzap', sourceId: zzapOrder } } : {}),
        to: { id: to, name: to },
        changedAt: '2024-09-23T18:00:00+03:00',
        changedBy: { kind: 'user' },
      },
    };
  }

  function orderWritten(crmOrder: string, zzapOrder: string) {
    return {
      id: messageId('record', 'retailcrm', 'rc-1', 'order', crmOrder),
      type: 'record.written',
      version: 1,
      source: { connector: 'retailcrm', connectionId: 'rc-1' },
      occurredAt: '2024-09-23T15:00:30Z',
      data: {
        commandId: `upsert-${zzapOrder}`,
        connector: 'retailcrm',
        connectionId: 'rc-1',
        entityType: 'order',
        sourceKey: sourceKey('zzap', 'zz-1', 'order', zzapOrder),
        externalId: crmOrder,
        outcome: 'created',
      },
    };
  }

  const statusSets = async () => storedMessages(app.bus, 'COMMANDS', 'cmd.zzap.order.status.set');
  const runs = async () => (await app.api('GET', `/v1/integrations/${integrationId}/runs`)).body;

  it('holds a change that comes before the link, shows why, and forwards it in order once the link is recorded', async () => {
    const first = statusChange(1001, '88', 'assembling', '1042');
    const second = statusChange(1002, '88', 'new', '1042');
    await app.bus.publish('order.status.changed', first);
    await app.bus.publish('order.status.changed', second);

    const waiting = await waitFor(async () => {
      const body = await runs();
      return body.waiting.length === 2 ? body.waiting : undefined;
    });
    const reason = 'the status change of RetailCRM order 88A waits until Junction has recorded that it created that order from ZZap order 1042';
    expect(waiting.map((record: { eventId: string; reason: string }) => [record.eventId, record.reason])).toEqual([
      [first.id, reason],
      [second.id, reason],
    ]);
    expect(await statusSets()).toEqual([]);

    await app.bus.publish('record.written', orderWritten('88', '1042'));
    const released = await waitFor(async () => ((await statusSets()).length === 2 ? statusSets() : undefined));
    expect(released.map(({ msgId, envelope }) => [msgId, envelope.data.targetOrderId, envelope.data.status.id])).toEqual([
      [messageId(first.id, integrationId, 'order.status.set', '88'), '1042', '4'],
      [messageId(second.id, integrationId, 'order.status.set', '88'), '1042', '1'],
    ]);
    expect((await runs()).waiting).toEqual([]);

    // The same record.written again (a redelivery, seen once it moved the link's time) and a save of the integration
    // release nothing more.
    await app.bus.publish('record.written', { ...orderWritten('88', '1042'), occurredAt: '2024-09-23T15:01:00Z' }, { msgId: 'redelivered' });
    const redelivered = `SELECT 1 FROM {schema}.record_links WHERE external_id = '88' AND updated_at = '2024-09-23T15:01:00Z'`;
    await waitFor(async () => (await app.query(redelivered)).length === 1);
    expect((await app.api('PUT', `/v1/integrations/${integrationId}`, draft)).status).toBe(200);
    expect(await statusSets()).toHaveLength(2);
  });

  it('forwards every change when changes and their links arrive together', async () => {
    // The link's recording and a change's parking race: whichever comes second must see the other.
    const orders = Array.from({ length: 40 }, (_, index) => ({ crm: String(500 + index), zzap: String(7000 + index) }));
    const changes = orders.map(({ crm, zzap }, index) => statusChange(5000 + index, crm, 'assembling', zzap));
    await Promise.all(
      orders.flatMap(({ crm, zzap }, index) => [
        app.bus.publish('order.status.changed', changes[index]),
        app.bus.publish('record.written', orderWritten(crm, zzap)),
      ]),
    );

    const forwarded = await waitFor(async () => {
      const sets = (await statusSets()).filter(({ envelope }) => changes.some((change) => envelope.causationId === change.id));
      return sets.length === orders.length ? sets : undefined;
    }, 20_000);
    expect(new Set(forwarded.map(({ envelope }) => envelope.data.targetOrderId))).toEqual(new Set(orders.map(({ zzap }) => zzap)));
    expect((await runs()).waiting).toEqual([]);
  });

  it('forwards nothing for an order made in RetailCRM, and does not hold its change', async () => {
    const before = (await statusSets()).length;
    const ownOrder = statusChange(2001, '90', 'assembling');
    await app.bus.publish('order.status.changed', ownOrder);
    // Changes are routed one at a time, in order: once the marker's command is out, the first change was handled.
    const marker = statusChange(2002, '88', 'new', '1042');
    await app.bus.publish('order.status.changed', marker);
    await waitFor(async () => ((await statusSets()).length === before + 1 ? true : undefined));
    expect((await statusSets()).map(({ envelope }) => envelope.causationId).slice(before)).toEqual([marker.id]);
    expect((await runs()).waiting).toEqual([]);
  });

  it('gives up a change whose link never comes after LINK_WAIT_MS, as a failure of the integration', async () => {
    const orphan = statusChange(3001, '95', 'assembling', '7777');
    await app.bus.publish('order.status.changed', orphan);
    await waitFor(async () => ((await runs()).waiting.length === 1 ? true : undefined));
    // As if it had waited for longer than LINK_WAIT_MS (a day by default).
    await app.query(`UPDATE {schema}.waiting_events SET since = now() - interval '2 days' WHERE event_id = $1`, [orphan.id]);

    const failures = await waitFor(async () => {
      const body = await runs();
      return body.waiting.length === 0 && body.failures.length === 1 ? body.failures : undefined;
    });
    expect(failures[0]).toMatchObject({
      connector: 'zzap',
      entityType: 'order',
      sourceKey: sourceKey('retailcrm', 'rc-1', 'order', '95'),
      error: { code: 'link_missing', message: expect.stringMatching(/^the status change of RetailCRM order 95A waits .* ZZap order 7777; given up after 48 h without it$/) },
    });
    const records = (await app.api('GET', `/v1/integrations/${integrationId}/records?vendorId=95`)).body.records;
    expect(records).toEqual([expect.objectContaining({ state: 'failed', reason: expect.stringContaining('link_missing') })]);
    // A link recorded after all finds nothing left to release.
    await app.bus.publish('record.written', orderWritten('95', '7777'));
    await waitFor(async () => ((await app.query('SELECT 1 FROM {schema}.record_links WHERE external_id = $1', ['95'])).length === 1 ? true : undefined));
    expect((await statusSets()).map(({ envelope }) => envelope.causationId)).not.toContain(orphan.id);
  });

  it('has dead-lettered nothing', async () => {
    expect(await storedMessages(app.bus, 'DLQ', 'dlq.>')).toEqual([]);
  });
});
