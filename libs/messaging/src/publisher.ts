import { SpanKind } from '@opentelemetry/api';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as emptyHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { isNoResponders, isTooLarge, MessageTooLargeError, NoStreamError } from './errors';
import { headersFromRecord } from './headers';
import type { Namespace } from './namespace';
import { injectTraceContext, markFailed, MESSAGING_ATTRIBUTES, messagingAttributes, messagingTracer } from './tracing';

export interface PublishOptions {
  /** The dedupe id (`Nats-Msg-Id`); defaults to the envelope id. */
  msgId?: string;
  headers?: Record<string, string>;
}

export interface PublishResult {
  /** Stream sequence; for a duplicate, the sequence of the message stored first. */
  seq: number;
  /** True when the stream already holds a message with this id (inside its duplicate window). */
  duplicate: boolean;
}

const encoder = new TextEncoder();

export class Publisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly namespace: Namespace,
  ) {}

  /** JSON-encodes the envelope and publishes it with the envelope id as dedupe id. */
  async publishEnvelope<E extends { id: string }>(
    subject: string,
    envelope: E,
    options: PublishOptions = {},
  ): Promise<PublishResult> {
    const msgId = options.msgId ?? envelope.id;
    if (!msgId) throw new Error(`publish to '${subject}' needs a message id: the envelope has no id`);
    return this.publish(subject, encoder.encode(JSON.stringify(envelope)), msgId, headersFromRecord(options.headers));
  }

  /**
   * Publishes bytes to a logical subject inside a PRODUCER span whose context travels in the headers, and waits for
   * the stream's acknowledgement.
   */
  publish(subject: string, payload: Uint8Array, msgId: string, headers: MsgHdrs = emptyHeaders()): Promise<PublishResult> {
    const attributes = {
      ...messagingAttributes(this.namespace, subject, 'publish', 'publish'),
      [MESSAGING_ATTRIBUTES.messageId]: msgId,
    };
    return messagingTracer().startActiveSpan(`${subject} publish`, { kind: SpanKind.PRODUCER, attributes }, async (span) => {
      const serverSubject = this.namespace.subject(subject);
      try {
        injectTraceContext(headers);
        const ack = await this.js.publish(serverSubject, payload, { msgID: msgId, headers });
        return { seq: ack.seq, duplicate: ack.duplicate };
      } catch (err) {
        const error = isNoResponders(err)
          ? new NoStreamError(serverSubject, { cause: err })
          : isTooLarge(err)
            ? new MessageTooLargeError(subject, payload.length, { cause: err })
            : err;
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }
}
