import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { junctionMetrics } from './metrics';

/** A reader that only collects when asked. */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}

describe('junctionMetrics', () => {
  let reader: CollectingReader;
  let provider: MeterProvider;

  beforeEach(() => {
    reader = new CollectingReader();
    provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
  });

  afterEach(async () => {
    metrics.disable();
    await provider.shutdown();
  });

  async function collected() {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }

  it('returns the same instruments while the meter provider stays the same', () => {
    expect(junctionMetrics()).toBe(junctionMetrics());
  });

  it('follows a newly registered meter provider', async () => {
    const before = junctionMetrics();
    metrics.disable();
    const next = new MeterProvider({ readers: [new CollectingReader()] });
    metrics.setGlobalMeterProvider(next);
    expect(junctionMetrics()).not.toBe(before);
    await next.shutdown();
  });

  it('names, units and attributes follow the OpenTelemetry conventions', async () => {
    const instruments = junctionMetrics();
    const write = { integration: 'i1', connector: 'repairshopr', connection: 'c2', entity: 'estimate' };
    instruments.syncRecords.add(3, { integration: 'i1', connection: 'c1', entity: 'customer', outcome: 'created' });
    instruments.syncWrites.add(1, { ...write, outcome: 'created' });
    instruments.syncRecordLatency.record(12.5, write);
    instruments.syncRunDuration.record(42, { integration: 'i1', connector: 'zomentum', stream: 'documents', state: 'succeeded' });
    instruments.syncLag.addCallback((result) => result.observe(300, { connector: 'zomentum', connection: 'c1', stream: 'documents' }));
    instruments.syncWaiting.addCallback((result) => result.observe(2, { integration: 'i1' }));
    instruments.syncWaitingAge.addCallback((result) => result.observe(60, { integration: 'i1' }));
    instruments.idMapEntries.addCallback((result) => result.observe(7, { connector: 'repairshopr', connection: 'c2', entity: 'customer' }));

    const byName = new Map((await collected()).map((metric) => [metric.descriptor.name, metric]));
    expect([...byName.keys()].sort()).toEqual([
      'junction.id_map.entry.count',
      'junction.sync.lag',
      'junction.sync.record.latency',
      'junction.sync.records',
      'junction.sync.run.duration',
      'junction.sync.waiting.age',
      'junction.sync.waiting.count',
      'junction.sync.writes',
    ]);
    const units = Object.fromEntries([...byName].map(([name, metric]) => [name, metric.descriptor.unit]));
    expect(units).toEqual({
      'junction.id_map.entry.count': '{entry}',
      'junction.sync.lag': 's',
      'junction.sync.record.latency': 's',
      'junction.sync.records': '{record}',
      'junction.sync.run.duration': 's',
      'junction.sync.waiting.age': 's',
      'junction.sync.waiting.count': '{record}',
      'junction.sync.writes': '{record}',
    });
    expect(byName.get('junction.sync.records')?.dataPoints[0]).toMatchObject({
      value: 3,
      attributes: { integration: 'i1', connection: 'c1', entity: 'customer', outcome: 'created' },
    });
    expect(byName.get('junction.sync.lag')?.dataPointType).toBe(DataPointType.GAUGE);
    expect(byName.get('junction.id_map.entry.count')?.dataPoints[0]).toMatchObject({
      value: 7,
      attributes: { connector: 'repairshopr', connection: 'c2', entity: 'customer' },
    });
  });

  it('buckets durations in seconds, up to hours for a first full sync', async () => {
    junctionMetrics().syncRunDuration.record(5400);
    const duration = (await collected()).find((metric) => metric.descriptor.name === 'junction.sync.run.duration');
    expect(duration?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = duration?.dataPoints[0].value as { buckets: { boundaries: number[]; counts: number[] } };
    expect(point.buckets.boundaries).toContain(3600);
    expect(point.buckets.boundaries.at(-1)).toBeGreaterThanOrEqual(14400);
    expect(point.buckets.counts[point.buckets.boundaries.indexOf(7200)]).toBe(1);
  });
});
