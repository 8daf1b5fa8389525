import { messageId, sourceKey } from '@junction/contracts';
import { wonDeal, zzapOrder } from './support/fixtures';
import { FakeConnector } from './support/fake-connector';
import { useMappingApp } from './support/mapping-app';
import { storedMessages, waitFor } from './support/stream-reader';

describe('event routing', () => {
  const app = useMappingApp();
  const fakes = (['zomentum', 'repairshopr', 'zzap', 'retailcrm'] as const).map((connector) => new FakeConnector(connector));
  let zomentumIntegration: { id: string };
  let zzapIntegration: { id: string };

  const zomentumRepairShopr = { kind: 'zomentum-repairshopr', name: 'Acme MSP', sourceConnectionId: 'zm-1', targetConnectionId: 'rs-1' };
  const statusMap = [
    { retailcrm: { id: 'new', name: 'New' }, zzap: { id: '1', name: 'Pending' } },
    { retailcrm: { id: 'assembling', name: 'Assembling' }, zzap: { id: '4', name: 'In work' } },
  ];

  beforeAll(async () => {
    for (const fake of fakes) fake.start(app.bus);
    const [zomentum, repairshopr, zzap, retailcrm] = fakes;
    zomentum.add('zm-1');
    repairshopr.add('rs-1');
    zzap.add('zz-1');
    retailcrm.add('rc-1');
    zomentumIntegration = (await app.api('POST', '/v1/integrations', zomentumRepairShopr)).body;
    zzapIntegration = (
      await app.api('POST', '/v1/integrations', {
        kind: 'zzap-retailcrm',
        name: 'ZZap parts',
        sourceConnectionId: 'zz-1',
        targetConnectionId: 'rc-1',
        settings: { storeCode: 'parts', statusMap, statusCrmToZzap: true },
      })
    ).body;
  });

  afterAll(async () => {
    for (const fake of fakes) await fake.stop();
  });

  function envelope(subject: string, connector: string, connectionId: string, id: string, data: unknown) {
    return { id, type: subject, version: 1, source: { connector, connectionId }, occurredAt: '2024-09-23T13:00:00Z', data };
  }

  const commandsOf = async (subject: string, causationId: string) =>
    (await storedMessages(app.bus, 'COMMANDS', subject)).filter((message) => message.envelope.causationId === causationId);

  const waitForCommands = (subject: string, causationId: string, count: number) =>
    waitFor(async () => {
      const commands = await commandsOf(subject, causationId);
      return commands.length >= count ? commands : undefined;
    });

  describe('deal.won', () => {
    const deal = wonDeal('D-1');
    const won = envelope('deal.won', 'zomentum', 'zm-1', messageId('zomentum', 'zm-1', 'document', 'D-1', 'won'), deal);

    it('yields one estimate command per billing period (quote sync type 1), after the client, contacts and products', async () => {
      await app.bus.publish('deal.won', won);
      const estimates = await waitForCommands('cmd.repairshopr.estimate.create', won.id, 3);
      expect(estimates.map((message) => [message.msgId, message.envelope.data.billingPeriod, message.envelope.data.lineItems.length])).toEqual([
        [messageId(won.id, zomentumIntegration.id, 'estimate.create', 'one_time'), 'one_time', 2],
        [messageId(won.id, zomentumIntegration.id, 'estimate.create', 'monthly'), 'monthly', 1],
        [messageId(won.id, zomentumIntegration.id, 'estimate.create', 'yearly'), 'yearly', 1],
      ]);
      expect(estimates[0].envelope).toMatchObject({
        type: 'cmd.repairshopr.estimate.create',
        integrationId: zomentumIntegration.id,
        causationId: won.id,
        data: { customerSourceKey: sourceKey('zomentum', 'zm-1', 'client', 'c-1'), deal: { sourceId: 'D-1' } },
      });
      expect(await commandsOf('cmd.repairshopr.customer.ensure', won.id)).toHaveLength(1);
      expect(await commandsOf('cmd.repairshopr.contact.ensure', won.id)).toHaveLength(2);
      expect(await commandsOf('cmd.repairshopr.product.ensure', won.id)).toHaveLength(4);
      // Published together, they reach the stream in the order planned.
      expect((await commandsOf('cmd.repairshopr.>', won.id)).map((message) => message.envelope.type)).toEqual([
        'cmd.repairshopr.customer.ensure',
        ...Array<string>(2).fill('cmd.repairshopr.contact.ensure'),
        ...Array<string>(4).fill('cmd.repairshopr.product.ensure'),
        ...Array<string>(3).fill('cmd.repairshopr.estimate.create'),
      ]);
    });

    it('handles a replay of the same deal.won (same envelope id, another Nats-Msg-Id) once', async () => {
      // Switch to quote sync type 2: handling the replay again would publish a new 'single' estimate.
      const updated = await app.api('PUT', `/v1/integrations/${zomentumIntegration.id}`, {
        ...zomentumRepairShopr,
        settings: { quoteSyncType1: false },
      });
      expect(updated.status).toBe(200);
      const replay = await app.bus.publish('deal.won', won, { msgId: `${won.id}:replayed` });
      expect(replay.duplicate).toBe(false);

      // A later deal shows the consumer has moved past the replay (one consumer handles deal.won in order).
      const later = envelope('deal.won', 'zomentum', 'zm-1', messageId('zomentum', 'zm-1', 'document', 'D-2', 'won'), wonDeal('D-2'));
      await app.bus.publish('deal.won', later);
      const [single] = await waitForCommands('cmd.repairshopr.estimate.create', later.id, 1);
      expect(single.envelope.data.billingPeriod).toBeUndefined();

      const estimates = await commandsOf('cmd.repairshopr.estimate.create', won.id);
      expect(estimates.map((message) => message.envelope.data.billingPeriod)).toEqual(['one_time', 'monthly', 'yearly']);
      expect(await commandsOf('cmd.repairshopr.customer.ensure', won.id)).toHaveLength(1);
    });

    it('ignores a deal.won from a connection no integration uses', async () => {
      const stranger = envelope('deal.won', 'zomentum', 'zm-9', 'zomentum:zm-9:document:D-9:won', wonDeal('D-9'));
      await app.bus.publish('deal.won', stranger);
      const marker = envelope('deal.won', 'zomentum', 'zm-1', 'zomentum:zm-1:document:D-3:won', wonDeal('D-3'));
      await app.bus.publish('deal.won', marker);
      await waitForCommands('cmd.repairshopr.estimate.create', marker.id, 1);
      expect(await commandsOf('cmd.repairshopr.customer.ensure', stranger.id)).toEqual([]);
    });

    it('routes nothing through a disabled integration', async () => {
      const [zomentum, repairshopr] = fakes;
      zomentum.add('zm-2');
      repairshopr.add('rs-2');
      const disabled = { ...zomentumRepairShopr, name: 'Paused MSP', sourceConnectionId: 'zm-2', targetConnectionId: 'rs-2', enabled: false };
      expect((await app.api('POST', '/v1/integrations', disabled)).status).toBe(201);
      const paused = envelope('deal.won', 'zomentum', 'zm-2', 'zomentum:zm-2:document:D-4:won', wonDeal('D-4'));
      await app.bus.publish('deal.won', paused);
      const marker = envelope('deal.won', 'zomentum', 'zm-1', 'zomentum:zm-1:document:D-5:won', wonDeal('D-5'));
      await app.bus.publish('deal.won', marker);
      await waitForCommands('cmd.repairshopr.estimate.create', marker.id, 1);
      expect(await commandsOf('cmd.repairshopr.customer.ensure', paused.id)).toEqual([]);
    });
  });

  describe('RepairShopr pulls', () => {
    it('turns a customer created in RepairShopr into a Zomentum client', async () => {
      const created = envelope('customer.created', 'repairshopr', 'rs-1', 'repairshopr:rs-1:customer:42:created', {
        sourceId: '42',
        businessName: 'Fix-It Kft',
      });
      await app.bus.publish('customer.created', created);
      const [command] = await waitForCommands('cmd.zomentum.customer.ensure', created.id, 1);
      expect(command.envelope.data).toMatchObject({
        sourceKey: sourceKey('repairshopr', 'rs-1', 'customer', '42'),
        customer: { businessName: 'Fix-It Kft' },
      });
    });
  });

  describe('updates', () => {
    const updated = (id: string, phone: string) =>
      envelope('customer.updated', 'repairshopr', 'rs-1', id, { sourceId: '42', businessName: 'Fix-It Kft', phone });

    it('routes a RepairShopr customer update nowhere until "also sync updates" is on, then as an update', async () => {
      const ignored = updated('repairshopr:rs-1:customers:42:1-aaaa', '+36 1 111');
      await app.bus.publish('customer.updated', ignored);
      // Handled (its consumer's inbox holds it), without commands.
      await waitFor(async () => {
        const handled = await app.query('SELECT 1 FROM {schema}.inbox WHERE consumer = $1 AND message_id = $2', ['mapping-customer-updated', ignored.id]);
        return handled.length > 0;
      });

      const saved = await app.api('PUT', `/v1/integrations/${zomentumIntegration.id}`, { ...zomentumRepairShopr, settings: { updateSync: true } });
      expect(saved.status).toBe(200);
      const routed = updated('repairshopr:rs-1:customers:42:2-bbbb', '+36 1 222');
      await app.bus.publish('customer.updated', routed);
      const [command] = await waitForCommands('cmd.zomentum.customer.ensure', routed.id, 1);
      expect(command.envelope.data).toMatchObject({
        sourceKey: sourceKey('repairshopr', 'rs-1', 'customer', '42'),
        customer: { phone: '+36 1 222' },
        updateExisting: true,
      });
      expect(await commandsOf('cmd.zomentum.customer.ensure', ignored.id)).toEqual([]);
    });
  });

  describe('ZZap <-> RetailCRM', () => {
    const order = zzapOrder('312');

    it('sends a ZZap order to the integration\'s RetailCRM store', async () => {
      const created = envelope('order.created', 'zzap', 'zz-1', 'zzap:zz-1:order:312:created', order);
      await app.bus.publish('order.created', created);
      const [command] = await waitForCommands('cmd.retailcrm.order.upsert', created.id, 1);
      expect(command.envelope).toMatchObject({
        integrationId: zzapIntegration.id,
        data: {
          sourceKey: sourceKey('zzap', 'zz-1', 'order', '312'),
          destination: 'parts',
          productMatching: 'article',
          targetStatus: { id: 'new', name: 'New' },
        },
      });
    });

    it('sends a RetailCRM status change of that order back to ZZap, found through the written record', async () => {
      // RetailCRM reports the order it wrote for ZZap order 312.
      await app.bus.publish('record.written', {
        ...envelope('record.written', 'retailcrm', 'rc-1', 'record:retailcrm:rc-1:order:312', {
          commandId: 'upsert-312',
          connector: 'retailcrm',
          connectionId: 'rc-1',
          entityType: 'order',
          sourceKey: sourceKey('zzap', 'zz-1', 'order', '312'),
          externalId: '77',
          outcome: 'created',
        }),
      });
      const change = (id: string, kind: string) =>
        envelope('order.status.changed', 'retailcrm', 'rc-1', id, {
          orderSourceId: '77',
          to: { id: 'assembling', name: 'Assembling' },
          changedAt: '2024-09-23T18:05:00+03:00',
          changedBy: { kind },
        });
      await waitFor(async () => {
        const links = await app.query('SELECT external_id FROM {schema}.record_links WHERE source_key = $1', [
          sourceKey('zzap', 'zz-1', 'order', '312'),
        ]);
        return links.length > 0;
      });
      const crmChange = change('retailcrm:rc-1:order-history:1001', 'user');
      await app.bus.publish('order.status.changed', crmChange);
      const [command] = await waitForCommands('cmd.zzap.order.status.set', crmChange.id, 1);
      expect(command.envelope.data).toMatchObject({ targetOrderId: '312', status: { id: '4', name: 'In work' } });

      // Junction's own change must not bounce back.
      const echo = change('retailcrm:rc-1:order-history:echo', 'junction');
      await app.bus.publish('order.status.changed', echo);
      const marker = change('retailcrm:rc-1:order-history:marker', 'user');
      await app.bus.publish('order.status.changed', marker);
      await waitForCommands('cmd.zzap.order.status.set', marker.id, 1);
      expect(await commandsOf('cmd.zzap.order.status.set', echo.id)).toEqual([]);
    });
  });

  describe('afterwards', () => {
    it('has dead-lettered nothing', async () => {
      expect(await storedMessages(app.bus, 'DLQ', 'dlq.>')).toEqual([]);
    });
  });
});
