import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { Bus, PermanentError, RetryableError, type ConsumerHandle } from '../src';
import { connectBus, deleteNamespaceStreams, envelope, parseEnvelope, randomNamespace, waitFor } from './helpers';

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}

  async byName(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.collect();
    const all = resourceMetrics.scopeMetrics.filter((scope) => scope.scope.name === '@junction/messaging').flatMap((scope) => scope.metrics);
    return new Map(all.map((metric) => [metric.descriptor.name, metric]));
  }
}

describe('messaging metrics', () => {
  const namespace = randomNamespace();
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  let bus: Bus;
  const handles: ConsumerHandle[] = [];

  const pointOf = async (name: string, durable: string) => {
    const metric = (await reader.byName()).get(name);
    const points = (metric?.dataPoints ?? []) as Array<DataPoint<unknown>>;
    return points.find((point) => point.attributes['messaging.consumer.group.name'] === durable);
  };

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(provider);
    bus = await connectBus(namespace);
    await bus.ensureStreams();
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.stop({ graceMs: 0 })));
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespaceStreams(namespace);
    metrics.disable();
    await provider.shutdown();
  });

  it('counts redeliveries and dead letters, and times every delivery with its error type', async () => {
    let calls = 0;
    const handle = await bus.consume({
      stream: 'EVENTS',
      durable: 'metrics-failing',
      filterSubject: 'deal.metered',
      parse: parseEnvelope,
      backoff: () => 50,
      handle: async () => {
        calls++;
        if (calls === 1) throw new RetryableError('vendor busy', { retryAfterMs: 50 });
        throw new PermanentError('no such pipeline');
      },
    });
    handles.push(handle);
    await bus.publish('deal.metered', envelope('metered-1', 'deal.won'));
    await waitFor(() => handle.stats.deadLettered === 1);

    const attributes = { 'messaging.system': 'nats', 'messaging.consumer.group.name': 'metrics-failing', 'messaging.destination.name': 'deal.metered' };
    expect(await pointOf('junction.messaging.redeliveries', 'metrics-failing')).toMatchObject({ attributes, value: 1 });
    expect(await pointOf('junction.messaging.dead_letters', 'metrics-failing')).toMatchObject({ attributes, value: 1 });
    const durations = (await reader.byName()).get('messaging.process.duration')?.dataPoints ?? [];
    const failing = durations.filter((point) => point.attributes['messaging.consumer.group.name'] === 'metrics-failing');
    expect(failing.map((point) => [point.attributes['error.type'], (point.value as { count: number }).count]).sort()).toEqual([
      ['PermanentError', 1],
      ['RetryableError', 1],
    ]);
    expect((await reader.byName()).get('messaging.process.duration')?.descriptor.unit).toBe('s');

    const stopObserving = bus.observeDeadLetters();
    const stored = async () =>
      ((await reader.byName()).get('junction.messaging.dead_letter.count')?.dataPoints ?? []).map((point) => [point.attributes, point.value]);
    try {
      expect(await stored()).toEqual([[{ 'messaging.system': 'nats', 'messaging.destination.name': 'deal.metered' }, 1]]);
      // Gone, it reads 0 (the SDK would otherwise repeat the last value it saw).
      const [letter] = await bus.listDeadLetters({ subject: 'deal.metered' });
      await bus.deleteDeadLetter(letter.seq);
      expect(await stored()).toEqual([[{ 'messaging.system': 'nats', 'messaging.destination.name': 'deal.metered' }, 0]]);
    } finally {
      stopObserving();
    }
  });

  it("reports a durable's pending, ack-pending and redelivered counts while it runs", async () => {
    for (const id of ['backlog-1', 'backlog-2', 'backlog-3']) await bus.publish('deal.backlog', envelope(id, 'deal.won'));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const handle = await bus.consume({
      stream: 'EVENTS',
      durable: 'metrics-backlog',
      filterSubject: 'deal.backlog',
      parse: parseEnvelope,
      handle: () => held,
    });
    handles.push(handle);

    const attributes = { 'messaging.system': 'nats', 'messaging.consumer.group.name': 'metrics-backlog', 'messaging.destination.name': 'deal.backlog' };
    await waitFor(async () => (await pointOf('junction.messaging.consumer.ack_pending', 'metrics-backlog'))?.value === 1);
    expect(await pointOf('junction.messaging.consumer.pending', 'metrics-backlog')).toMatchObject({ attributes, value: 2 });
    expect(await pointOf('junction.messaging.consumer.redelivered', 'metrics-backlog')).toMatchObject({ attributes, value: 0 });

    release();
    await waitFor(() => handle.stats.processed === 3);
    await waitFor(async () => (await pointOf('junction.messaging.consumer.pending', 'metrics-backlog'))?.value === 0);
    expect(await pointOf('junction.messaging.consumer.ack_pending', 'metrics-backlog')).toMatchObject({ value: 0 });
  });
});
