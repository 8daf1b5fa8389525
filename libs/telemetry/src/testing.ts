import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { AggregationTemporality, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** In-memory tracing for tests: every finished span, synchronously, in the order spans ended. */
export interface TestTelemetry {
  exporter: InMemorySpanExporter;
  /** Finished spans so far. */
  spans(): ReadableSpan[];
  /** Forgets the finished spans, e.g. in beforeEach. */
  reset(): void;
  /** Unregisters the OpenTelemetry globals; the next createTestTelemetry() starts afresh. */
  shutdown(): Promise<void>;
}

// Kept on globalThis so every module instance in this realm (e.g. a test file and the libs it
// loads) shares one registration, as the OpenTelemetry globals themselves are shared.
const SLOT = Symbol.for('junction.telemetry.test-telemetry');
type Realm = typeof globalThis & { [SLOT]?: TestTelemetry };

/**
 * Registers a tracer provider with an in-memory exporter, an AsyncLocalStorage context manager and the
 * W3C trace context + baggage propagator as the global OpenTelemetry setup. Idempotent: later calls
 * return the same instance until it is shut down.
 */
export function createTestTelemetry(): TestTelemetry {
  const realm = globalThis as Realm;
  const telemetry = realm[SLOT] ?? installTestTelemetry();
  realm[SLOT] = telemetry;
  return telemetry;
}

export function isTestTelemetryActive(): boolean {
  return (globalThis as Realm)[SLOT] !== undefined;
}

function installTestTelemetry(): TestTelemetry {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const registered = [
    context.setGlobalContextManager(contextManager),
    propagation.setGlobalPropagator(
      new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
    ),
    trace.setGlobalTracerProvider(provider),
  ];
  if (registered.includes(false)) {
    contextManager.disable();
    throw new Error(
      'createTestTelemetry(): OpenTelemetry is already registered in this process; call it before startTelemetry()',
    );
  }
  let stopped: Promise<void> | undefined;
  const telemetry: TestTelemetry = {
    exporter,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => (stopped ??= stop()),
  };
  async function stop(): Promise<void> {
    const realm = globalThis as Realm;
    if (realm[SLOT] === telemetry) delete realm[SLOT];
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  }
  return telemetry;
}

/** Metrics for tests: the current values of every instrument, collected on demand, by metric name. */
export class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}

  async byName(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.collect();
    return new Map(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map((metric) => [metric.descriptor.name, metric]));
  }
}
