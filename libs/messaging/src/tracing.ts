import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import { Match, type MsgHdrs } from '@nats-io/transport-node';
import type { Namespace } from './namespace';

// Messaging semantic conventions are still incubating in @opentelemetry/semantic-conventions, so the names live here.
export const MESSAGING_ATTRIBUTES = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  consumerGroup: 'messaging.consumer.group.name',
  deliveryCount: 'messaging.nats.delivery_count',
  namespace: 'junction.namespace',
} as const;

export function messagingTracer(): Tracer {
  return trace.getTracer('@junction/messaging');
}

/** The attributes every messaging span carries; `subject` is the logical subject. */
export function messagingAttributes(
  namespace: Namespace,
  subject: string,
  operationType: string,
  operationName: string,
): Attributes {
  const attributes: Attributes = {
    [MESSAGING_ATTRIBUTES.system]: 'nats',
    [MESSAGING_ATTRIBUTES.destination]: subject,
    [MESSAGING_ATTRIBUTES.operationType]: operationType,
    [MESSAGING_ATTRIBUTES.operationName]: operationName,
  };
  if (namespace.prefix) attributes[MESSAGING_ATTRIBUTES.namespace] = namespace.prefix;
  return attributes;
}

const headerSetter: TextMapSetter<MsgHdrs> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

// Case-insensitive: Go clients canonicalise header names ("Traceparent").
const headerGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (carrier) => carrier?.keys() ?? [],
  get: (carrier, key) => carrier?.get(key, Match.IgnoreCase) || undefined,
};

/** Writes `traceparent` (and `tracestate`) for the given context into NATS headers. */
export function injectTraceContext(headers: MsgHdrs, ctx: Context = context.active()): void {
  propagation.inject(ctx, headers, headerSetter);
}

/** The sender's trace context; a message without one starts a new trace instead of joining whatever runs locally. */
export function extractTraceContext(headers: MsgHdrs | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

/**
 * Marks a span failed with the error's type only: messages quote vendors, and vendors quote personal data. The
 * message is in the log line of the failure, which carries the span's trace and span ids.
 */
export function markFailed(span: Span, err: unknown): void {
  span.recordException({ name: err instanceof Error ? err.constructor.name : 'unknown' });
  span.setStatus({ code: SpanStatusCode.ERROR });
}
