import { messageId } from '@junction/contracts';
import { CollectingReader, createTestTelemetry } from '@junction/telemetry';
import { context, metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { FakeConnector } from './support/fake-connector';
import { useMappingApp } from './support/mapping-app';
import { waitFor } from './support/stream-reader';

// "Why did order X not reach the CRM?": from a vendor id on either side to what Junction did with the record and the
// trace it happened in.

const telemetry = createTestTelemetry();

const reader = new CollectingReader();
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

describe('records by vendor id', () => {
  const app = useMappingApp();
  const shoprenter = new FakeConnector('shoprenter');
  const minicrm = new FakeConnector('minicrm');
  const request = messageId('sync', 'req-traced', 'shoprenter', 'orders');

  beforeAll(() => {
    shoprenter.start(app.bus).add('sr-9');
    minicrm.start(app.bus).add('mc-9');
  });

  afterAll(async () => {
    await shoprenter.stop();
    await minicrm.stop();
    await telemetry.shutdown();
    metrics.disable();
    await meterProvider.shutdown();
  });

  /** Publishes inside a span of its own, as a connector does inside the record's trace; resolves its trace id. */
  async function publishTraced(subject: string, envelope: { id: string }): Promise<string> {
    const span = trace.getTracer('test').startSpan(`record ${envelope.id}`);
    await context.with(trace.setSpan(context.active(), span), () => app.bus.publish(subject, envelope));
    span.end();
    return span.spanContext().traceId;
  }

  function outcome(subject: 'record.written' | 'record.failed', commandId: string, integrationId: string, sourceKey: string, data: object) {
    return {
      id: messageId(commandId, subject),
      type: subject,
      version: 1,
      source: { connector: 'minicrm', connectionId: 'mc-9' },
      integrationId,
      causationId: commandId,
      correlationId: request,
      occurredAt: '2024-09-23T13:05:00Z',
      data: { commandId, connector: 'minicrm', connectionId: 'mc-9', entityType: 'order', sourceKey, ...data },
    };
  }

  it('answers written, failed and waiting records with the trace each happened in', async () => {
    const created = await app.api('POST', '/v1/integrations', {
      kind: 'shoprenter-minicrm',
      name: 'Webshop',
      sourceConnectionId: 'sr-9',
      targetConnectionId: 'mc-9',
      settings: { statusMap: { '1': { id: '3001', name: 'Új rendelés' } } },
    });
    expect(created.status).toBe(201);
    const integration = created.body;

    const writtenTrace = await publishTraced(
      'record.written',
      outcome('record.written', 'cmd-1', integration.id, 'shoprenter:sr-9:order:1001', { externalId: '7001', outcome: 'created' }),
    );
    const failedTrace = await publishTraced(
      'record.failed',
      outcome('record.failed', 'cmd-2', integration.id, 'shoprenter:sr-9:order:1002', {
        error: { code: 'validation', message: 'MiniCRM refused the order: unknown category', retryable: false },
      }),
    );
    const waitingTrace = await publishTraced('order.created', {
      id: messageId('shoprenter', 'sr-9', 'orders', '1003', 'created'),
      type: 'order.created',
      version: 1,
      source: { connector: 'shoprenter', connectionId: 'sr-9' },
      correlationId: request,
      occurredAt: '2024-09-23T13:00:00Z',
      data: {
        sourceId: '1003',
        number: 'WS-1003',
        status: { id: '9', name: 'Visszáru' },
        customer: { email: 'anna@example.hu' },
        items: [{ name: 'Bögre', quantity: 1, unitPrice: 2990 }],
        totals: { currency: 'HUF', subtotal: 2990, total: 2990 },
        coupons: [],
        createdAt: '2024-09-23T15:00:00+02:00',
      },
    } as { id: string });

    const lookup = async (vendorId: string) => (await app.api('GET', `/v1/integrations/${integration.id}/records?vendorId=${vendorId}`)).body;
    const written = await waitFor(async () => ((await lookup('1001')).records.length === 1 ? lookup('1001') : undefined));
    expect(written).toEqual({
      integrationId: integration.id,
      vendorId: '1001',
      records: [
        {
          state: 'written',
          connector: 'minicrm',
          connectionId: 'mc-9',
          entityType: 'order',
          sourceKey: 'shoprenter:sr-9:order:1001',
          externalId: '7001',
          traceId: writtenTrace,
          at: '2024-09-23T13:05:00.000Z',
          reason: null,
        },
      ],
    });
    // The target's id finds the same record.
    expect((await lookup('7001')).records).toEqual(written.records);

    const failed = await waitFor(async () => (await lookup('1002')).records[0]);
    expect(failed).toMatchObject({
      state: 'failed',
      sourceKey: 'shoprenter:sr-9:order:1002',
      traceId: failedTrace,
      reason: 'validation: MiniCRM refused the order: unknown category',
    });

    const waiting = await waitFor(async () => (await lookup('1003')).records[0]);
    expect(waiting).toMatchObject({
      state: 'waiting',
      connector: 'shoprenter',
      connectionId: 'sr-9',
      entityType: 'order',
      traceId: waitingTrace,
      reason: expect.stringContaining('Visszáru'),
    });

    expect((await lookup('no-such-order')).records).toEqual([]);
    expect((await app.api('GET', '/v1/integrations/00000000-0000-4000-8000-000000000009/records?vendorId=1')).status).toBe(404);
    expect((await app.api('GET', `/v1/integrations/${integration.id}/records`)).status).toBe(400);

    // The waiting order shows in the metrics, as does the routing span's view of it.
    const byName = await reader.byName();
    const count = byName.get('junction.sync.waiting.count')?.dataPoints.find((point) => point.attributes.integration === integration.id);
    expect(count?.value).toBe(1);
    const age = byName.get('junction.sync.waiting.age')?.dataPoints.find((point) => point.attributes.integration === integration.id);
    expect(age?.value).toBeGreaterThanOrEqual(0);
    const routed = telemetry.spans().find((span) => span.name === 'order.created process' && span.spanContext().traceId === waitingTrace);
    expect(routed?.attributes).toMatchObject({
      'junction.connector': 'shoprenter',
      'junction.connection.id': 'sr-9',
      'junction.entity.type': 'order',
      'junction.record.key': '1003',
      'junction.integration.id': integration.id,
      'junction.outcome': 'waiting',
      'junction.commands': 0,
    });

    // Released by a map that covers its status, the integration counts 0 waiting records: the SDK would repeat the
    // last values it saw of an integration nobody observes any more.
    const statusMap = { '1': { id: '3001', name: 'Új rendelés' }, '9': { id: '3009', name: 'Visszáru' } };
    const draft = { kind: 'shoprenter-minicrm', name: 'Webshop', sourceConnectionId: 'sr-9', targetConnectionId: 'mc-9', settings: { statusMap } };
    expect((await app.api('PUT', `/v1/integrations/${integration.id}`, draft)).status).toBe(200);
    await waitFor(async () => (await lookup('1003')).records.every((record: { state: string }) => record.state !== 'waiting'));
    const released = await reader.byName();
    for (const name of ['junction.sync.waiting.count', 'junction.sync.waiting.age']) {
      expect(released.get(name)?.dataPoints.find((point) => point.attributes.integration === integration.id)?.value).toBe(0);
    }
  });

  it('keeps the trace of each run its runner reported it in, whatever trace later updates come in', async () => {
    shoprenter.add('sr-10');
    minicrm.add('mc-10');
    const created = await app.api('POST', '/v1/integrations', {
      kind: 'shoprenter-minicrm',
      name: 'Second shop',
      sourceConnectionId: 'sr-10',
      targetConnectionId: 'mc-10',
      settings: { statusMap: { '1': { id: '3001', name: 'Új rendelés' } } },
    });
    expect(created.status).toBe(201);
    const expired = { code: 'lease_expired', message: 'worker stopped before the run finished (lease expired)' };
    const update = (runId: string, revision: number, state: 'running' | 'failed', error?: typeof expired) => ({
      id: messageId('run', runId, revision),
      type: 'sync.run.updated',
      version: 1,
      source: { connector: 'shoprenter', connectionId: 'sr-10' },
      occurredAt: '2024-09-23T14:00:00Z',
      data: {
        runId,
        connector: 'shoprenter',
        connectionId: 'sr-10',
        stream: 'orders',
        state,
        startedAt: '2024-09-23T14:00:00Z',
        progress: { done: revision },
        counts: { created: revision, updated: 0, skipped: 0, failed: 0 },
        ...(error ? { error } : {}),
        revision,
      },
    });
    const runs = async () => (await app.api('GET', `/v1/integrations/${created.body.id}/runs`)).body.runs as Array<{ runId: string; state: string; traceId: string | null; counts: { created: number } }>;
    const runNow = async () => (await runs()).find((run) => run.runId === 'run-traced');

    // The runner publishes inside the run's span: its trace is the run's.
    const runTrace = await publishTraced('sync.run.updated', update('run-traced', 1, 'running'));
    expect((await waitFor(runNow))?.traceId).toBe(runTrace);
    await publishTraced('sync.run.updated', update('run-traced', 2, 'running'));
    await waitFor(async () => (await runNow())?.counts.created === 2);
    // The next request finds the run's worker dead and reports the expiry in its own trace.
    await publishTraced('sync.run.updated', update('run-traced', 3, 'failed', expired));
    await waitFor(async () => (await runNow())?.state === 'failed');
    expect((await runNow())?.traceId).toBe(runTrace);
    // A worker that died before its run said anything: the expiry's trace is not the run's, so the run has none.
    await publishTraced('sync.run.updated', update('run-silent', 2, 'failed', expired));
    const silent = await waitFor(async () => (await runs()).find((run) => run.runId === 'run-silent'));
    expect(silent.traceId).toBeNull();
  });
});
