import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { headers } from '@nats-io/transport-node';
import { Bus, PermanentError, type ConsumerHandle } from '../src';
import { connectBus, deleteNamespaceStreams, envelope, parseEnvelope, randomNamespace, waitFor } from './helpers';

describe('trace context across NATS', () => {
  const namespace = randomNamespace();
  const exporter = new InMemorySpanExporter();
  let bus: Bus;
  const handles: ConsumerHandle[] = [];

  const span = (name: string) => waitFor(() => exporter.getFinishedSpans().find((candidate) => candidate.name === name));
  const isChildOf = (child: ReadableSpan, parent: ReadableSpan) =>
    child.spanContext().traceId === parent.spanContext().traceId &&
    child.parentSpanContext?.spanId === parent.spanContext().spanId;

  async function consume(subject: string, handle: () => Promise<void>): Promise<ConsumerHandle> {
    const consumer = await bus.consume({
      stream: 'EVENTS',
      durable: subject.replace(/\./g, '-'),
      filterSubject: subject,
      parse: parseEnvelope,
      handle,
    });
    handles.push(consumer);
    return consumer;
  }

  beforeAll(async () => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    bus = await connectBus(namespace);
    await bus.ensureStreams();
  });

  afterEach(async () => {
    await Promise.all(handles.splice(0).map((handle) => handle.stop({ graceMs: 0 })));
    exporter.reset();
  });

  afterAll(async () => {
    await bus.close();
    await deleteNamespaceStreams(namespace);
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('chains publish, process and the handler spans into one trace', async () => {
    await consume('deal.traced', async () => {
      trace.getTracer('test').startActiveSpan('write to CRM', (work) => work.end());
    });
    await bus.publish('deal.traced', envelope('traced-1', 'deal.won'));

    const publish = await span('deal.traced publish');
    const process = await span('deal.traced process');
    const work = await span('write to CRM');
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(publish.attributes).toEqual({
      'messaging.system': 'nats',
      'messaging.destination.name': 'deal.traced',
      'messaging.operation.type': 'publish',
      'messaging.operation.name': 'publish',
      'messaging.message.id': 'traced-1',
      'junction.namespace': namespace,
    });
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'deal.traced',
      'messaging.operation.type': 'process',
      'messaging.message.id': 'traced-1',
      'messaging.consumer.group.name': 'deal-traced',
      'messaging.nats.delivery_count': 1,
    });
    expect(isChildOf(process, publish)).toBe(true);
    expect(isChildOf(work, process)).toBe(true);
  });

  it('makes the publish span a child of the active span of the publisher', async () => {
    const outer = trace.getTracer('test').startSpan('sync run');
    await context.with(trace.setSpan(context.active(), outer), () =>
      bus.publish('deal.nested', envelope('nested-1', 'deal.won')),
    );
    outer.end();

    expect(isChildOf(await span('deal.nested publish'), await span('sync run'))).toBe(true);
  });

  it('honours the traceparent of a publisher outside Junction', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentSpanId = '00f067aa0ba902b7';
    await consume('deal.foreign', async () => undefined);
    const foreign = headers();
    foreign.set('traceparent', `00-${traceId}-${parentSpanId}-01`);
    await bus.js.publish(bus.subject('deal.foreign'), JSON.stringify(envelope('foreign-1', 'deal.won')), {
      msgID: 'foreign-1',
      headers: foreign,
    });

    const process = await span('deal.foreign process');
    expect(process.spanContext().traceId).toBe(traceId);
    expect(process.parentSpanContext?.spanId).toBe(parentSpanId);
  });

  it('marks the span of a failed delivery as an error with its type only and traces the dead letter under it', async () => {
    await consume('deal.doomed', async () => {
      throw new PermanentError('olive@outside.example.com: no such pipeline');
    });
    await bus.publish('deal.doomed', envelope('doomed-1', 'deal.won'));

    const process = await span('deal.doomed process');
    // The message may quote a vendor's words, and so personal data: it goes to the log line, not the span.
    expect(process.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(process.events.map(({ name, attributes }) => [name, attributes])).toEqual([['exception', { 'exception.type': 'PermanentError' }]]);
    expect(isChildOf(await span('dlq.deal.doomed publish'), process)).toBe(true);
  });

  it('continues the trace of the failed delivery when its dead letter is replayed, linked with who asked', async () => {
    let attempts = 0;
    await consume('deal.replayed', async () => {
      attempts += 1;
      if (attempts === 1) throw new PermanentError('not yet');
    });
    await bus.publish('deal.replayed', envelope('replayed-1', 'deal.won'));
    const deadLetterPublish = await span('dlq.deal.replayed publish');
    const [letter] = await waitFor(async () => {
      const letters = await bus.listDeadLetters({ subject: 'deal.replayed' });
      return letters.length > 0 ? letters : undefined;
    });

    const operator = trace.getTracer('test').startSpan('POST /v1/dead-letters/:seq/replay');
    await context.with(trace.setSpan(context.active(), operator), () => bus.replayDeadLetter(letter.seq));
    operator.end();

    const replay = await span('dlq.deal.replayed replay');
    expect(isChildOf(replay, deadLetterPublish)).toBe(true);
    expect(replay.links.map((link) => link.context.spanId)).toEqual([operator.spanContext().spanId]);
    expect((await span('POST /v1/dead-letters/:seq/replay')).links.map((link) => link.context.spanId)).toEqual([replay.spanContext().spanId]);
    const childOf = (name: string, parent: ReadableSpan) =>
      waitFor(() => exporter.getFinishedSpans().find((candidate) => candidate.name === name && isChildOf(candidate, parent)));
    const redelivery = await childOf('deal.replayed process', await childOf('deal.replayed publish', replay));
    expect(redelivery.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('carries the context through request and reply', async () => {
    const server = bus.serve(
      'ctl.test.connection.check',
      (raw) => raw as { connectionId: string },
      async (request) => {
        trace.getTracer('test').startActiveSpan('check vendor', (work) => work.end());
        return { ok: true, data: request.connectionId };
      },
    );
    try {
      await bus.request('ctl.test.connection.check', { connectionId: 'c1' }, (raw) => raw);
      const raw = await bus.nc.request(bus.subject('ctl.test.connection.check'), JSON.stringify({ connectionId: 'c2' }));

      const client = await span('ctl.test.connection.check request');
      const servers = exporter
        .getFinishedSpans()
        .filter((candidate) => candidate.name === 'ctl.test.connection.check process');
      const served = servers.find((candidate) => isChildOf(candidate, client))!;
      expect(client.kind).toBe(SpanKind.CLIENT);
      expect(served.kind).toBe(SpanKind.SERVER);
      expect(isChildOf(await span('check vendor'), served)).toBe(true);
      const replyParent = raw.headers?.get('traceparent').split('-')[2];
      expect(servers.map((candidate) => candidate.spanContext().spanId)).toContain(replyParent);
    } finally {
      await server.stop();
    }
  });
});
