import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { activeTraceId } from './accessors';
import { createTestTelemetry } from './testing';

describe('createTestTelemetry', () => {
  const telemetry = createTestTelemetry();
  const tracer = trace.getTracer('testing-spec');

  beforeEach(() => telemetry.reset());

  afterAll(() => telemetry.shutdown());

  it('returns the same instance on every call', () => {
    expect(createTestTelemetry()).toBe(telemetry);
  });

  it('captures a parent/child span pair across an await', async () => {
    await tracer.startActiveSpan('deal.won publish', { kind: SpanKind.PRODUCER }, async (parent) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      tracer.startActiveSpan('deal.won process', { kind: SpanKind.CONSUMER }, (child) => child.end());
      parent.end();
    });

    const [child, parent] = telemetry.spans();
    expect(telemetry.spans().map((span) => span.name)).toEqual(['deal.won process', 'deal.won publish']);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(parent.parentSpanContext).toBeUndefined();
    expect(child.kind).toBe(SpanKind.CONSUMER);
  });

  it('propagates W3C trace context and baggage through carrier headers', () => {
    const headers: Record<string, string> = {};
    tracer.startActiveSpan('publish', (span) => {
      const withBaggage = propagation.setBaggage(
        context.active(),
        propagation.createBaggage({ integration: { value: 'i-1' } }),
      );
      propagation.inject(withBaggage, headers);
      span.end();
    });

    const [published] = telemetry.spans();
    expect(headers.traceparent).toBe(`00-${published.spanContext().traceId}-${published.spanContext().spanId}-01`);
    expect(headers.baggage).toBe('integration=i-1');

    const extracted = propagation.extract(context.active(), headers);
    tracer.startSpan('process', {}, extracted).end();
    expect(telemetry.spans()[1].parentSpanContext?.spanId).toBe(published.spanContext().spanId);
  });

  it('tells the active trace id, and none outside a span', () => {
    expect(activeTraceId()).toBeUndefined();
    tracer.startActiveSpan('x', (span) => {
      expect(activeTraceId()).toBe(span.spanContext().traceId);
      span.end();
    });
  });

  it('forgets finished spans on reset', () => {
    tracer.startSpan('one').end();
    expect(telemetry.spans()).toHaveLength(1);
    telemetry.reset();
    expect(telemetry.spans()).toEqual([]);
  });

  it('starts afresh after shutdown', async () => {
    await telemetry.shutdown();
    expect(trace.getTracer('after-shutdown').startSpan('x').isRecording()).toBe(false);

    const again = createTestTelemetry();
    try {
      expect(again).not.toBe(telemetry);
      trace.getTracer('again').startSpan('y').end();
      expect(again.spans().map((span) => span.name)).toEqual(['y']);
    } finally {
      await again.shutdown();
    }
  });
});
