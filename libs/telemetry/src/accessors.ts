import { Meter, Tracer, isSpanContextValid, metrics, trace } from '@opentelemetry/api';

const DEFAULT_SCOPE = 'junction';

/** A tracer from the global provider; safe to take before startTelemetry (it follows the provider). */
export function getTracer(name = DEFAULT_SCOPE): Tracer {
  return trace.getTracer(name);
}

/**
 * A meter from the global provider. Take it after startTelemetry: the metrics API has no proxy, so a
 * meter taken earlier stays a no-op. junctionMetrics() handles this for the shared instruments.
 */
export function getMeter(name = DEFAULT_SCOPE): Meter {
  return metrics.getMeter(name);
}

/** The trace id of the active span, to store with what a trace produced; undefined outside a (sampled or not) trace. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}
