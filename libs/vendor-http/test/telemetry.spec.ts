import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DataPointType, MeterProvider, MetricReader, type HistogramMetricData, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { TokenBucket, VendorHttpClient, type RateLimiter } from '../src';
import { closedPort, sendJson, startVendorServer, type VendorServer } from './vendor-server';

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}

  async metricsByName(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.collect();
    const all = resourceMetrics.scopeMetrics.filter((scope) => scope.scope.name === 'junction.vendor-http').flatMap((scope) => scope.metrics);
    return new Map(all.map((metric) => [metric.descriptor.name, metric]));
  }
}

describe('VendorHttpClient telemetry', () => {
  const reader = new CollectingReader();
  const spans = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager().enable();
  let server: VendorServer | undefined;

  beforeAll(() => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    context.setGlobalContextManager(contextManager);
  });
  afterAll(() => {
    metrics.disable();
    trace.disable();
    context.disable();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('counts every attempt, times it and the rate-limit wait, and marks retries on the active span', async () => {
    server = await startVendorServer((_req, res, index) =>
      index === 0 ? sendJson(res, 503, { message: 'busy' }) : sendJson(res, 200, { ok: true }),
    );
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 20 });
    const waitsMs: number[] = [];
    const rateLimiter: RateLimiter = {
      acquire: async (key, cost) => {
        const waitedMs = await bucket.acquire(key, cost);
        waitsMs.push(waitedMs);
        return waitedMs;
      },
      penalize: (key, retryAfterMs) => bucket.penalize(key, retryAfterMs),
    };
    const client = new VendorHttpClient({
      vendor: 'zomentum',
      baseUrl: server.baseUrl,
      auth: () => ({ Authorization: 'Bearer z' }),
      rateLimiter,
      rateLimitKey: 'conn-1',
      retry: { baseDelayMs: 1, maxDelayMs: 1 },
    });

    await trace.getTracer('test').startActiveSpan('sync documents', async (span) => {
      await client.request({ method: 'GET', path: '/documents', schema: z.object({ ok: z.boolean() }) });
      span.end();
    });

    const byName = await reader.metricsByName();
    const requests = byName.get('junction.vendor.requests')!;
    expect(requests.dataPoints.map((point) => [point.attributes, point.value])).toEqual([
      [{ vendor: 'zomentum', 'http.request.method': 'GET', 'http.response.status_code': 503 }, 1],
      [{ vendor: 'zomentum', 'http.request.method': 'GET', 'http.response.status_code': 200 }, 1],
    ]);

    const duration = byName.get('junction.vendor.request.duration') as HistogramMetricData;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(duration.dataPoints.map((point) => point.value.count)).toEqual([1, 1]);

    const wait = byName.get('junction.vendor.rate_limit.wait') as HistogramMetricData;
    expect(wait.descriptor.unit).toBe('s');
    expect(wait.dataPoints[0].attributes).toEqual({ vendor: 'zomentum' });
    expect(wait.dataPoints[0].value.count).toBe(2);
    expect(wait.dataPoints[0].value.sum).toBeCloseTo((waitsMs[0] + waitsMs[1]) / 1000, 9);

    const parent = spans.getFinishedSpans().find((span) => span.name === 'sync documents')!;
    expect(parent.events.map((event) => [event.name, event.attributes])).toEqual([
      ['vendor.retry', { attempt: 1, 'delay.ms': expect.any(Number), 'error.type': 'server_error', vendor: 'zomentum', 'http.request.method': 'GET' }],
    ]);
  });

  it('labels an attempt that got no response with error.type', async () => {
    const client = new VendorHttpClient({
      vendor: 'minicrm',
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      rateLimitKey: 'conn-2',
      retry: { maxAttempts: 1 },
    });
    await expect(client.request({ method: 'GET', path: '/Api/R3/Category', schema: z.unknown() })).rejects.toThrow('could not connect');

    const requests = (await reader.metricsByName()).get('junction.vendor.requests')!;
    const minicrm = requests.dataPoints.filter((point) => point.attributes.vendor === 'minicrm');
    expect(minicrm.map((point) => [point.attributes, point.value])).toEqual([
      [{ vendor: 'minicrm', 'http.request.method': 'GET', 'error.type': 'connection_failed' }, 1],
    ]);
  });
});
