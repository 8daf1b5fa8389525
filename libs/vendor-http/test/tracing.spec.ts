import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import { VendorHttpClient } from '../src';
import { closedPort, sendJson, startVendorServer, type VendorServer } from './vendor-server';

describe('VendorHttpClient spans', () => {
  const spans = new InMemorySpanExporter();
  let server: VendorServer | undefined;

  beforeAll(() => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    trace.disable();
    context.disable();
    propagation.disable();
  });
  afterEach(async () => {
    spans.reset();
    await server?.close();
    server = undefined;
  });

  async function underParent(work: () => Promise<unknown>): Promise<{ parent: ReadableSpan; attempts: ReadableSpan[] }> {
    await trace.getTracer('test').startActiveSpan('command', async (span) => {
      await work().catch(() => undefined);
      span.end();
    });
    const finished = spans.getFinishedSpans();
    const parent = finished.find((span) => span.name === 'command')!;
    return { parent, attempts: finished.filter((span) => span !== parent) };
  }

  it('spans every attempt as an HTTP client call under the caller, and sends its trace context to the vendor', async () => {
    server = await startVendorServer((_req, res, index) =>
      index === 0 ? sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '0' }) : sendJson(res, 201, { id: 7 }),
    );
    const client = new VendorHttpClient({
      vendor: 'repairshopr',
      baseUrl: server.baseUrl,
      auth: () => ({ Authorization: 'Bearer secret-token' }),
      authQuery: () => ({ api_key: 'query-secret' }),
      rateLimitKey: 'conn-1',
      retry: { baseDelayMs: 1, maxDelayMs: 10 },
    });

    const { parent, attempts } = await underParent(() =>
      client.request({
        method: 'POST',
        path: '/customers',
        query: { email: 'jane@example.com' },
        body: { email: 'jane@example.com' },
        idempotent: true,
        schema: z.object({ id: z.number() }),
      }),
    );

    expect(attempts.map((span) => [span.name, span.kind, span.parentSpanContext?.spanId])).toEqual([
      ['POST', SpanKind.CLIENT, parent.spanContext().spanId],
      ['POST', SpanKind.CLIENT, parent.spanContext().spanId],
    ]);
    const port = Number(new URL(server.baseUrl).port);
    expect(attempts[0].attributes).toEqual({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.scheme': 'http',
      'url.path': '/api/v1/customers',
      'junction.vendor': 'repairshopr',
      'junction.vendor.rate_limit.wait_ms': 0,
      'http.response.status_code': 429,
      'error.type': '429',
    });
    expect(attempts[0].status.code).toBe(SpanStatusCode.ERROR);
    expect(attempts[1].attributes).toMatchObject({ 'http.response.status_code': 201, 'http.request.resend_count': 1 });
    expect(attempts[1].status.code).toBe(SpanStatusCode.UNSET);
    expect(server.received.map((request) => request.headers.traceparent)).toEqual(
      attempts.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`),
    );
    // The query (e-mails, auth parameters) never reaches a span.
    expect(JSON.stringify(attempts.map((span) => span.attributes))).not.toMatch(/jane|secret/);
  });

  it('marks an attempt that got no answer, or an answer breaking the schema, with the error code only', async () => {
    const unreachable = new VendorHttpClient({
      vendor: 'minicrm',
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      rateLimitKey: 'conn-2',
      retry: { maxAttempts: 1 },
    });
    const refused = await underParent(() => unreachable.request({ method: 'GET', path: '/Api/R3/Category', schema: z.unknown() }));
    expect(refused.attempts[0].attributes['error.type']).toBe('connection_failed');
    expect(refused.attempts[0].status).toEqual({ code: SpanStatusCode.ERROR });

    server = await startVendorServer((_req, res) => sendJson(res, 200, { id: 'not a number' }));
    const client = new VendorHttpClient({ vendor: 'minicrm', baseUrl: server.baseUrl, rateLimitKey: 'conn-3' });
    spans.reset();
    const mismatched = await underParent(() => client.request({ method: 'GET', path: '/x', schema: z.object({ id: z.number() }) }));
    expect(mismatched.attempts[0].attributes).toMatchObject({ 'http.response.status_code': 200, 'error.type': 'invalid_response' });
  });
});
