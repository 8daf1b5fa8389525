import { AddressInfo, createServer as createNetServer } from 'node:net';
import { isSpanContextValid, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { getMeter, getTracer } from './accessors';
import { junctionMetrics } from './metrics';
import { TelemetryOptions } from './config';
import { TelemetryHandle, startTelemetry } from './sdk';

/** A port nothing listens on: bind to 0, note the port, release it. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function isPortFree(port: number): Promise<boolean> {
  const server = createNetServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

async function scrape(port: number, path = '/metrics'): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('startTelemetry', () => {
  const handles: TelemetryHandle[] = [];

  /** startTelemetry, shut down after the test even when an assertion fails first. */
  function start(options: TelemetryOptions): TelemetryHandle {
    const handle = startTelemetry(options);
    handles.push(handle);
    return handle;
  }

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.shutdown()));
  });

  describe('Prometheus endpoint', () => {
    it('serves /metrics with custom and shared instruments, and releases the port on shutdown', async () => {
      const port = await freePort();
      const telemetry = start({ serviceName: 'mapping', serviceVersion: '1.2.3', prometheusPort: port, env: {} });
      await telemetry.ready;

      getMeter('test').createCounter('junction.test.widgets', { unit: '{widget}' }).add(3, { color: 'blue' });
      junctionMetrics().syncRecords.add(2, { integration: 'i1', connection: 'c1', entity: 'customer', outcome: 'written' });
      junctionMetrics().syncRunDuration.record(1.5, { integration: 'i1', connector: 'zomentum', stream: 'documents', state: 'succeeded' });

      const { status, body } = await scrape(port);
      expect(status).toBe(200);
      expect(body).toMatch(/^junction_test_widgets_total\{color="blue"\} 3$/m);
      expect(body).toMatch(
        /^junction_sync_records_total\{integration="i1",connection="c1",entity="customer",outcome="written"\} 2$/m,
      );
      expect(body).toMatch(
        /^junction_sync_run_duration_count\{integration="i1",connector="zomentum",stream="documents",state="succeeded"\} 1$/m,
      );
      expect(body).toMatch(/^target_info\{.*service_name="mapping"/m);
      expect(body).toMatch(/^target_info\{.*service_version="1\.2\.3"/m);
      expect(body).toMatch(/^target_info\{.*service_namespace="junction"/m);
      expect((await scrape(port, '/other')).status).toBe(404);

      await telemetry.shutdown();
      expect(await isPortFree(port)).toBe(true);
    });

    it('lets OTEL_SERVICE_NAME override the service name', async () => {
      const port = await freePort();
      const telemetry = start({ serviceName: 'mapping', prometheusPort: port, env: { OTEL_SERVICE_NAME: 'mapping-eu' } });
      await telemetry.ready;
      expect((await scrape(port)).body).toMatch(/^target_info\{.*service_name="mapping-eu"/m);
      await telemetry.shutdown();
    });

    it('takes the port from PROMETHEUS_PORT when no option is given', async () => {
      const port = await freePort();
      const telemetry = start({ serviceName: 'scheduler', env: { PROMETHEUS_PORT: String(port) } });
      await telemetry.ready;
      expect((await scrape(port)).status).toBe(200);
      await telemetry.shutdown();
    });

    it('rejects `ready` and warns when the port is taken', async () => {
      const blocker = createNetServer();
      await new Promise<void>((resolve) => blocker.listen(0, resolve));
      const { port } = blocker.address() as AddressInfo;
      const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const telemetry = start({ serviceName: 'mapping', prometheusPort: port, env: {} });
        await expect(telemetry.ready).rejects.toThrow(`The Prometheus /metrics endpoint cannot listen on port ${port}`);
        expect(emitWarning).toHaveBeenCalledWith(expect.stringContaining(`port ${port}`), 'JunctionTelemetryWarning');
      } finally {
        emitWarning.mockRestore();
        await new Promise<void>((resolve) => blocker.close(() => resolve()));
      }
    });

    it('rejects an invalid PROMETHEUS_PORT', () => {
      expect(() => start({ serviceName: 'mapping', env: { PROMETHEUS_PORT: 'http' } })).toThrow(
        /must be an integer from 0 to 65535/,
      );
    });
  });

  describe('in one process (all-in-one mode)', () => {
    it('shares the first SDK: the first service name wins and the last shutdown stops it', async () => {
      const port = await freePort();
      const first = start({ serviceName: 'mapping', prometheusPort: port, env: {} });
      const second = start({ serviceName: 'scheduler', prometheusPort: await freePort(), env: {} });
      await Promise.all([first.ready, second.ready]);
      expect((await scrape(port)).body).toMatch(/^target_info\{.*service_name="mapping"/m);

      await first.shutdown();
      await first.shutdown();
      expect((await scrape(port)).status).toBe(200);

      await second.shutdown();
      expect(await isPortFree(port)).toBe(true);
    });
  });

  // The OTLP exporters load node:http with a dynamic import(), which Jest's module sandbox refuses,
  // so these tests stop at the exporters: what reaches them, not the wire format.
  describe('OTLP export', () => {
    let exportedSpans: string[];
    let exportedMetrics: string[];

    beforeEach(() => {
      exportedSpans = [];
      exportedMetrics = [];
      jest.spyOn(OTLPTraceExporter.prototype, 'export').mockImplementation((spans, done) => {
        exportedSpans.push(...spans.map((span) => `${span.resource.attributes['service.name']}:${span.name}`));
        done({ code: ExportResultCode.SUCCESS });
      });
      jest.spyOn(OTLPMetricExporter.prototype, 'export').mockImplementation((batch, done) => {
        for (const scope of batch.scopeMetrics) {
          exportedMetrics.push(...scope.metrics.map((metric) => metric.descriptor.name));
        }
        done({ code: ExportResultCode.SUCCESS });
      });
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    it('exports spans and metrics when OTEL_EXPORTER_OTLP_ENDPOINT is set, flushing on shutdown', async () => {
      const telemetry = start({ serviceName: 'repairshopr', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } });
      getTracer().startActiveSpan('estimate.create', (span) => span.end());
      junctionMetrics().syncRecords.add(1, { integration: 'i1', connection: 'c1', entity: 'estimate', outcome: 'created' });

      await telemetry.shutdown();

      expect(exportedSpans).toEqual(['repairshopr:estimate.create']);
      expect(exportedMetrics).toContain('junction.sync.records');
    });

    it('exports spans without the e-mail addresses and phone numbers an instrumentation recorded of an error', async () => {
      const exported: ReadableSpan[] = [];
      jest.spyOn(OTLPTraceExporter.prototype, 'export').mockImplementation((spans, done) => {
        exported.push(...spans);
        done({ code: ExportResultCode.SUCCESS });
      });
      const telemetry = start({ serviceName: 'mapping', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } });
      const traceId = getTracer().startActiveSpan('pg.query:INSERT', (span) => {
        const error = new Error('invalid input syntax for type integer: "olive@outside.example.com"');
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'phone +36 30 123 4567 refused' });
        span.setAttribute('db.response.status_code', '22P02');
        span.end();
        return span.spanContext().traceId;
      });
      await telemetry.shutdown();

      const [span] = exported;
      expect(span.spanContext().traceId).toBe(traceId);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'phone [phone] refused' });
      expect(span.events[0].attributes).toMatchObject({ 'exception.message': 'invalid input syntax for type integer: "[email]"' });
      expect(span.attributes).toEqual({ 'db.response.status_code': '22P02' });
    });

    it('exports only traces when only OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set', async () => {
      const telemetry = start({
        serviceName: 'repairshopr',
        env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' },
      });
      getTracer().startActiveSpan('estimate.create', (span) => span.end());
      junctionMetrics().syncRecords.add(1, { integration: 'i1', connection: 'c1', entity: 'estimate', outcome: 'created' });
      await telemetry.shutdown();
      expect(exportedSpans).toEqual(['repairshopr:estimate.create']);
      expect(exportedMetrics).toEqual([]);
    });

    it('exports no spans with OTEL_TRACES_EXPORTER=none, yet spans still get real ids', async () => {
      const telemetry = start({
        serviceName: 'repairshopr',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' },
      });
      const spanContext = getTracer().startActiveSpan('estimate.create', (span) => {
        span.end();
        return span.spanContext();
      });
      await telemetry.shutdown();
      expect(isSpanContextValid(spanContext)).toBe(true);
      expect(exportedSpans).toEqual([]);
    });

    it('exports nothing without an OTLP endpoint', async () => {
      const telemetry = start({ serviceName: 'repairshopr', env: {} });
      getTracer().startActiveSpan('estimate.create', (span) => span.end());
      junctionMetrics().syncRecords.add(1, { integration: 'i1', connection: 'c1', entity: 'estimate', outcome: 'created' });
      await telemetry.shutdown();
      expect(exportedSpans).toEqual([]);
      expect(exportedMetrics).toEqual([]);
    });

    it('starts nothing with OTEL_SDK_DISABLED=true', async () => {
      const port = await freePort();
      const telemetry = start({
        serviceName: 'repairshopr',
        prometheusPort: port,
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' },
      });
      await telemetry.ready;
      const recording = getTracer().startActiveSpan('estimate.create', (span) => {
        span.end();
        return span.isRecording();
      });
      await telemetry.shutdown();
      expect(recording).toBe(false);
      expect(await isPortFree(port)).toBe(true);
      expect(exportedSpans).toEqual([]);
    });
  });
});
