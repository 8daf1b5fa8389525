import { messageId, sourceKey } from '@junction/contracts';
import { FakeConnector } from './support/fake-connector';
import { useMappingApp } from './support/mapping-app';
import { storedMessages, waitFor } from './support/stream-reader';

// An order pulled from Shoprenter in a status the integration's map does not cover waits instead of being dropped:
// it shows on the run that pulled it, and goes on to MiniCRM as soon as the map is completed and saved.

describe('events that wait for the integration', () => {
  const app = useMappingApp();
  const shoprenter = new FakeConnector('shoprenter');
  const minicrm = new FakeConnector('minicrm');
  const draft = (statusMap: Record<string, { id: string; name: string }>) => ({
    kind: 'shoprenter-minicrm',
    name: 'Webshop',
    sourceConnectionId: 'sr-1',
    targetConnectionId: 'mc-1',
    settings: { statusMap },
  });
  const requestMessageId = messageId('sync', 'req-1', 'shoprenter', 'orders');

  beforeAll(() => {
    shoprenter.start(app.bus).add('sr-1');
    minicrm.start(app.bus).add('mc-1');
  });

  afterAll(async () => {
    await shoprenter.stop();
    await minicrm.stop();
  });

  function order(sourceId: string, statusId: string, statusName: string) {
    return {
      id: messageId('shoprenter', 'sr-1', 'orders', sourceId, 'created'),
      type: 'order.created',
      version: 1,
      source: { connector: 'shoprenter', connectionId: 'sr-1' },
      correlationId: requestMessageId,
      occurredAt: '2024-09-23T13:00:00Z',
      data: {
        sourceId,
        number: `WS-${sourceId}`,
        status: { id: statusId, name: statusName },
        customer: { email: 'anna@example.hu' },
        items: [{ name: 'Bögre', quantity: 1, unitPrice: 2990 }],
        totals: { currency: 'HUF', subtotal: 2990, total: 2990 },
        coupons: [],
        createdAt: '2024-09-23T15:00:00+02:00',
      },
    };
  }

  const upserts = async () => storedMessages(app.bus, 'COMMANDS', 'cmd.minicrm.order.upsert');

  it('parks an order in an unmapped status on its run and releases it when the map is saved', async () => {
    const created = await app.api('POST', '/v1/integrations', draft({ '1': { id: '3001', name: 'Új rendelés' } }));
    expect(created.status).toBe(201);
    const integration = created.body;
    await app.bus.publish('sync.run.updated', {
      id: messageId('run', 'run-1', 1),
      type: 'sync.run.updated',
      version: 1,
      source: { connector: 'shoprenter', connectionId: 'sr-1' },
      correlationId: requestMessageId,
      occurredAt: '2024-09-23T13:00:00Z',
      data: {
        runId: 'run-1',
        connector: 'shoprenter',
        connectionId: 'sr-1',
        stream: 'orders',
        state: 'running',
        startedAt: '2024-09-23T13:00:00Z',
        progress: { done: 2, total: 2 },
        counts: { created: 2, updated: 0, skipped: 0, failed: 0 },
        revision: 1,
      },
    });
    const mapped = order('101', '1', 'Függőben lévő');
    const unmapped = order('102', '5', 'Visszaküldve');
    await app.bus.publish('order.created', unmapped);
    await app.bus.publish('order.created', mapped);

    const runs = await waitFor(async () => {
      const body = (await app.api('GET', `/v1/integrations/${integration.id}/runs`)).body;
      return body.runs.length === 1 && body.waiting.length === 1 ? body : undefined;
    });
    const reason = "order WS-102 waits: Shoprenter status 'Visszaküldve' (5) has no MiniCRM status; map it and save the integration to sync it";
    expect(runs.runs[0].waiting).toEqual([
      { eventId: unmapped.id, subject: 'order.created', reason, since: { iso: expect.any(String), display: expect.any(String) } },
    ]);
    expect(runs.waiting).toEqual(runs.runs[0].waiting);
    const first = await waitFor(async () => ((await upserts()).length === 1 ? upserts() : undefined));
    expect(first[0].envelope.data.sourceKey).toBe(sourceKey('shoprenter', 'sr-1', 'order', '101'));

    const saved = await app.api(
      'PUT',
      `/v1/integrations/${integration.id}`,
      draft({ '1': { id: '3001', name: 'Új rendelés' }, '5': { id: '3009', name: 'Visszáru' } }),
    );
    expect(saved.status).toBe(200);
    const released = await waitFor(async () => ((await upserts()).length === 2 ? upserts() : undefined));
    expect(released[1].envelope).toMatchObject({
      id: messageId(unmapped.id, integration.id, 'order.upsert', '102'),
      data: { sourceKey: sourceKey('shoprenter', 'sr-1', 'order', '102'), targetStatus: { id: '3009', name: 'Visszáru' } },
    });
    const after = (await app.api('GET', `/v1/integrations/${integration.id}/runs`)).body;
    expect(after.waiting).toEqual([]);
    expect(after.runs[0].waiting).toEqual([]);

    // Saving again publishes nothing more: the released order no longer waits.
    await app.api('PUT', `/v1/integrations/${integration.id}`, draft({ '1': { id: '3001', name: 'Új rendelés' }, '5': { id: '3009', name: 'Visszáru' } }));
    expect(await upserts()).toHaveLength(2);
  });
});
