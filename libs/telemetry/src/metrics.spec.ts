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
    instruments.syncRecords.add(3, { integration: 'i1', connection: 'c1', entity: 'customer', outcome: 'written' });
    instruments.syncRunDuration.record(42, { integration: 'i1' });
    instruments.deadLetters.add(1, { 'messaging.destination.name': 'deal.won' });
    instruments.redeliveries.add(2);
    instruments.vendorRequests.add(1, { vendor: 'zzap', 'http.response.status_code': 429 });
    instruments.vendorRateLimitWait.record(0.75, { vendor: 'zzap' });

    const byName = new Map((await collected()).map((metric) => [metric.descriptor.name, metric]));
    expect([...byName.keys()].sort()).toEqual([
      'junction.messaging.dead_letters',
      'junction.messaging.redeliveries',
      'junction.sync.records',
      'junction.sync.run.duration',
      'junction.vendor.rate_limit.wait',
      'junction.vendor.requests',
    ]);
    expect(byName.get('junction.sync.records')?.descriptor.unit).toBe('{record}');
    expect(byName.get('junction.sync.run.duration')?.descriptor.unit).toBe('s');
    expect(byName.get('junction.vendor.rate_limit.wait')?.descriptor.unit).toBe('s');
    expect(byName.get('junction.sync.records')?.dataPoints[0]).toMatchObject({
      value: 3,
      attributes: { integration: 'i1', connection: 'c1', entity: 'customer', outcome: 'written' },
    });
    expect(byName.get('junction.vendor.requests')?.dataPoints[0].attributes).toEqual({
      vendor: 'zzap',
      'http.response.status_code': 429,
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
