import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { MetricReader, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, NoopSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { TelemetryConfig, TelemetryOptions, resolveTelemetryConfig } from './config';
import { createInstrumentations } from './instrumentations';
import { PersonalDataScrubbingExporter } from './scrubbing-exporter';
import { isTestTelemetryActive } from './testing';

// Still incubating in @opentelemetry/semantic-conventions, whose guidance is to copy such names.
const ATTR_SERVICE_NAMESPACE = 'service.namespace';
const SERVICE_NAMESPACE = 'junction';
// OTLP exports must finish within the export interval.
const MAX_METRIC_EXPORT_TIMEOUT_MS = 30_000;

export interface TelemetryHandle {
  /**
   * Resolves once the Prometheus endpoint listens (at once when there is none); rejects when it
   * cannot, e.g. the port is taken. Not awaiting it only costs a process warning on failure.
   */
  ready: Promise<void>;
  /** Flushes and stops telemetry once every handle sharing it has been shut down. Idempotent. */
  shutdown(): Promise<void>;
}

interface RunningTelemetry {
  sdk: NodeSDK;
  instrumentations: ReturnType<typeof createInstrumentations>;
  ready: Promise<void>;
  holders: number;
}

let running: RunningTelemetry | undefined;

const INACTIVE: TelemetryHandle = { ready: Promise.resolve(), shutdown: async () => undefined };

/**
 * Starts OpenTelemetry for this process: traces and metrics over OTLP/HTTP when an OTLP endpoint is
 * configured, a Prometheus /metrics endpoint when a port is given, http + pg instrumentation, W3C
 * trace context + baggage propagation. Call it before http frameworks and pg are loaded.
 *
 * One SDK per process: in the all-in-one mode several services call this in one process and share
 * the first call's SDK, so the FIRST service name wins on every span and metric. Each caller gets its
 * own handle; telemetry stops when the last one is shut down.
 * Under createTestTelemetry() the test helper owns the OpenTelemetry globals and this does nothing.
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  if (isTestTelemetryActive()) return INACTIVE;
  if (!running) {
    const config = resolveTelemetryConfig(options, options.env ?? process.env);
    if (config.disabled) return INACTIVE;
    running = startSdk(config);
  }
  return holdTelemetry(running);
}

function startSdk(config: TelemetryConfig): RunningTelemetry {
  const instrumentations = createInstrumentations({ traceQueries: Boolean(config.tracesUrl) });
  const prometheus = config.prometheusPort
    ? new PrometheusExporter({ port: config.prometheusPort, preventServerStart: true })
    : undefined;
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: config.serviceName,
        [ATTR_SERVICE_VERSION]: config.serviceVersion,
        [ATTR_SERVICE_NAMESPACE]: SERVICE_NAMESPACE,
      }),
    ),
    serviceName: config.serviceName,
    spanProcessors: spanProcessors(config),
    metricReaders: [...(prometheus ? [prometheus] : []), ...otlpMetricReaders(config)],
    // Logs go to stdout through pino; no OpenTelemetry log pipeline.
    logRecordProcessors: [],
    instrumentations,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });
  sdk.start();
  // Listening only after start(): a scrape before the meter provider exists would fail.
  const ready = prometheus ? listen(prometheus, config.prometheusPort as number) : Promise.resolve();
  return { sdk, instrumentations, ready, holders: 0 };
}

function spanProcessors(config: TelemetryConfig): SpanProcessor[] {
  if (config.tracesUrl) {
    return [new BatchSpanProcessor(new PersonalDataScrubbingExporter(new OTLPTraceExporter({ url: config.tracesUrl })))];
  }
  // Without an exporter spans are still created and dropped, so logs get trace ids and
  // traceparent headers still carry this service's spans to the next hop.
  return [new NoopSpanProcessor()];
}

function otlpMetricReaders(config: TelemetryConfig): MetricReader[] {
  if (!config.metricsUrl) return [];
  return [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: config.metricsUrl }),
      exportIntervalMillis: config.metricExportIntervalMs,
      exportTimeoutMillis: Math.min(config.metricExportIntervalMs, MAX_METRIC_EXPORT_TIMEOUT_MS),
    }),
  ];
}

function listen(exporter: PrometheusExporter, port: number): Promise<void> {
  const ready = exporter.startServer().catch((error: Error) => {
    throw new Error(`The Prometheus /metrics endpoint cannot listen on port ${port}: ${error.message}`);
  });
  ready.catch((error: Error) => process.emitWarning(error.message, 'JunctionTelemetryWarning'));
  return ready;
}

function holdTelemetry(state: RunningTelemetry): TelemetryHandle {
  state.holders += 1;
  let released: Promise<void> | undefined;
  return {
    ready: state.ready,
    shutdown: () => (released ??= release(state)),
  };
}

async function release(state: RunningTelemetry): Promise<void> {
  state.holders -= 1;
  if (state.holders > 0) return;
  if (running === state) running = undefined;
  try {
    await state.sdk.shutdown();
  } finally {
    // NodeSDK leaves its globals registered; clearing them lets a later startTelemetry() register again.
    for (const instrumentation of state.instrumentations) instrumentation.disable();
    trace.disable();
    metrics.disable();
    propagation.disable();
    context.disable();
  }
}
