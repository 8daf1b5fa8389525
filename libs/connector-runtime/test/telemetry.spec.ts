import { randomUUID } from 'node:crypto';
import { SyncRuns } from '@junction/connector-kit';
import { commandSubject, messageId, sourceKey } from '@junction/contracts';
import { CollectingReader, createTestTelemetry } from '@junction/telemetry';
import { metrics, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { FakeVendor } from './support/fake-vendor';
import { Harness, waitFor } from './support/harness';
import { testConnector } from './support/test-connector';

// Before the harness loads anything that takes a tracer.
const telemetry = createTestTelemetry();

const reader = new CollectingReader();
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

const harness = new Harness();
const vendor = new FakeVendor('tok-good-0c0ffee0');
let connectionId: string;

beforeAll(async () => {
  await harness.open();
  // Customer 2 has no name, which the Customer contract refuses.
  vendor.seed(3, [{}, { name: '' }]);
  await harness.startRuntime(testConnector(vendor));
  connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
});

afterAll(async () => {
  await harness.close();
  await telemetry.shutdown();
  metrics.disable();
  await meterProvider.shutdown();
});

const spanNamed = (name: string, where: (span: ReadableSpan) => boolean = () => true) =>
  waitFor(() => telemetry.spans().find((span) => span.name === name && where(span)));
const isChildOf = (child: ReadableSpan, parent: ReadableSpan) =>
  child.spanContext().traceId === parent.spanContext().traceId && child.parentSpanContext?.spanId === parent.spanContext().spanId;

describe('a sync run', () => {
  it("is a span under the request's delivery, and each record a trace of its own linked both ways to the run", async () => {
    const requestId = await harness.requestSync(connectionId, 'customers', { integrationId: 'int-traced' });
    const run = await spanNamed('sync run repairshopr.customers');
    const runs = await new SyncRuns(harness.dataSource).list({ connectionId, limit: 1 });
    expect(runs[0]).toMatchObject({ requestId, state: 'succeeded' });

    const delivery = await spanNamed('sync.requested process');
    expect(isChildOf(run, delivery)).toBe(true);
    expect(run.kind).toBe(SpanKind.INTERNAL);
    expect(run.attributes).toEqual({
      'junction.connector': 'repairshopr',
      'junction.connection.id': connectionId,
      'junction.stream': 'customers',
      'junction.entity.type': 'customer',
      'junction.sync.run.id': runs[0].id,
      'junction.integration.id': 'int-traced',
      'junction.sync.reason': 'manual',
      'junction.sync.run.state': 'succeeded',
      'junction.sync.records.created': 2,
      'junction.sync.records.updated': 0,
      'junction.sync.records.skipped': 0,
      'junction.sync.records.failed': 1,
    });

    const records = telemetry.spans().filter((span) => span.name === 'sync record repairshopr.customers');
    expect(records.map((record) => [record.attributes['junction.record.key'], record.attributes['junction.outcome']]).sort()).toEqual([
      ['1', 'created'],
      ['2', 'failed'],
      ['3', 'created'],
    ]);
    for (const record of records) {
      expect(record.parentSpanContext).toBeUndefined();
      expect(record.spanContext().traceId).not.toBe(run.spanContext().traceId);
      expect(record.links.map((link) => link.context.spanId)).toEqual([run.spanContext().spanId]);
      expect(record.attributes).toMatchObject({ 'junction.sync.run.id': runs[0].id, 'junction.integration.id': 'int-traced' });
    }
    expect(run.links.map((link) => link.context.spanId).sort()).toEqual(records.map((record) => record.spanContext().spanId).sort());
    const failed = records.find((record) => record.attributes['junction.record.key'] === '2')!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);

    const published = telemetry.spans().filter((span) => span.name === 'customer.created publish');
    expect(published).toHaveLength(2);
    for (const publish of published) expect(records.some((record) => isChildOf(publish, record))).toBe(true);

    const byName = await reader.byName();
    const pulled = byName.get('junction.sync.records')!.dataPoints.filter((point) => point.attributes.connection === connectionId);
    expect(pulled.map((point) => [point.attributes.outcome, point.value]).sort()).toEqual([
      ['created', 2],
      ['failed', 1],
    ]);
    expect(byName.get('junction.sync.run.duration')!.dataPoints[0].attributes).toEqual({
      integration: 'int-traced',
      connector: 'repairshopr',
      stream: 'customers',
      state: 'succeeded',
    });
    const lag = byName.get('junction.sync.lag')!.dataPoints.find((point) => point.attributes.connection === connectionId);
    expect(lag?.attributes).toEqual({ integration: 'int-traced', connector: 'repairshopr', connection: connectionId, stream: 'customers' });
    expect(lag?.value).toBeGreaterThanOrEqual(0);
    expect(lag?.value).toBeLessThan(60);
  });
});

describe('a command', () => {
  it('names integration, connection, entity and both ids on its delivery span, and counts the write', async () => {
    const key = sourceKey('zomentum', 'zm-acme', 'client', 'c-7');
    const id = messageId(key, 'ensure');
    await harness.bus.publish(
      commandSubject('repairshopr', 'customer.ensure'),
      {
        id,
        type: commandSubject('repairshopr', 'customer.ensure'),
        version: 1,
        source: { connector: 'mapping', connectionId: 'int-traced' },
        target: { connector: 'repairshopr', connectionId },
        integrationId: 'int-traced',
        occurredAt: new Date(Date.now() - 5_000).toISOString(),
        data: { sourceKey: key, customer: { sourceId: 'c-7', businessName: 'Client 7', email: 'c7@client.test' } },
      },
      { msgId: randomUUID() },
    );

    const delivery = await spanNamed('cmd.repairshopr.customer.ensure process');
    const written = await spanNamed('record.written publish');
    expect(isChildOf(written, delivery)).toBe(true);
    expect(delivery.attributes).toMatchObject({
      'junction.connector': 'repairshopr',
      'junction.connection.id': connectionId,
      'junction.integration.id': 'int-traced',
      'junction.entity.type': 'customer',
      'junction.source.key': key,
      'junction.external.id': expect.any(String),
      'junction.outcome': 'created',
    });
    expect(JSON.stringify(delivery.attributes)).not.toContain('c7@client.test');
    const line = harness.logLines.map((raw) => JSON.parse(raw) as Record<string, unknown>).find((entry) => entry.msg === 'command executed');
    expect(line).toMatchObject({
      trace_id: delivery.spanContext().traceId,
      span_id: delivery.spanContext().spanId,
      integrationId: 'int-traced',
      connectionId,
      sourceKey: key,
    });

    const byName = await reader.byName();
    const writes = byName.get('junction.sync.writes')!.dataPoints;
    expect(writes.map((point) => [point.attributes, point.value])).toEqual([
      [{ integration: 'int-traced', connector: 'repairshopr', connection: connectionId, entity: 'customer', outcome: 'created' }, 1],
    ]);
    const latency = byName.get('junction.sync.record.latency')!.dataPoints[0].value as { count: number; sum: number };
    expect(latency.count).toBe(1);
    expect(latency.sum).toBeGreaterThanOrEqual(5);
    const idMap = byName.get('junction.id_map.entry.count')!.dataPoints.find((point) => point.attributes.connection === connectionId);
    expect(idMap).toMatchObject({ value: 1, attributes: { connector: 'repairshopr', connection: connectionId, entity: 'customer' } });
  });
});
