import { context, trace } from '@opentelemetry/api';
import type { JetStreamManager, JsMsg, StoredMsg } from '@nats-io/jetstream';
import { headers as emptyHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { copyHeaders, headersFromRecord, headersToRecord, isServerHeader } from './headers';
import type { Namespace } from './namespace';
import type { Publisher } from './publisher';
import { extractTraceContext, markFailed, MESSAGING_ATTRIBUTES, messagingTracer } from './tracing';

/** The logical name of the dead-letter stream (see JUNCTION_STREAMS). */
export const DLQ_STREAM = 'DLQ';

export const DLQ_HEADERS = {
  reason: 'Junction-Dlq-Reason',
  consumer: 'Junction-Dlq-Consumer',
  stream: 'Junction-Dlq-Stream',
  streamSeq: 'Junction-Dlq-Stream-Seq',
  subject: 'Junction-Dlq-Subject',
  deliveries: 'Junction-Dlq-Deliveries',
  failedAt: 'Junction-Dlq-Failed-At',
  // The original Nats-Msg-Id: the dead letter's own Nats-Msg-Id is its dedupe key, so the original moves here.
  msgId: 'Junction-Dlq-Msg-Id',
} as const;

export interface DeadLetter {
  /** Sequence in the dead-letter stream: the handle for replay and delete. */
  seq: number;
  /** Logical subject of the dead letter, `dlq.<originalSubject>`. */
  subject: string;
  originalSubject: string;
  reason: string;
  /** Durable consumer that gave up on the message. */
  consumer: string;
  /** Logical stream and sequence the message came from. */
  stream: string;
  streamSeq: number;
  deliveries: number;
  /** ISO 8601. */
  failedAt: string;
  /** Nats-Msg-Id of the original message, if it had one. */
  msgId?: string;
  payload: string;
  /** The original message's headers (trace context included), without server or Junction-Dlq-* headers. */
  headers: Record<string, string>;
}

export interface DeadLetterQuery {
  /** Logical subject filter on the original subject, wildcards allowed: 'deal.won', 'cmd.hubspot.>'. */
  subject?: string;
  /** At most this many, oldest first; default 100. */
  limit?: number;
}

/**
 * Who a dead letter stands for. 'message': the message itself is unusable (it breaks its subject's contract), so it
 * is dead-lettered once, by whichever of its consumers reads it first. 'consumer': this consumer gave up on it.
 */
export type DeadLetterScope = 'message' | 'consumer';

/** A delivery a consumer gives up on. Subject and stream are logical. */
export interface Failure {
  msg: JsMsg;
  subject: string;
  stream: string;
  durable: string;
  reason: string;
  scope: DeadLetterScope;
}

/**
 * A message a consumer gives up on after it acknowledged it (it kept the message elsewhere meanwhile, e.g. a command
 * that waited in a database for a record it needs), as it was delivered. Subject and stream are logical.
 */
export interface HeldMessageFailure {
  subject: string;
  stream: string;
  durable: string;
  /** The stream sequence and delivery count of the delivery it was taken from. */
  streamSeq: number;
  deliveries: number;
  payload: Uint8Array;
  /** Its Nats-Msg-Id. */
  msgId?: string;
  /** Headers to keep with it (trace context). */
  headers?: Record<string, string>;
  reason: string;
}

/** What a dead letter is made of, wherever the failed message was held. */
interface DeadLetterInput {
  subject: string;
  stream: string;
  durable: string;
  streamSeq: number;
  deliveries: number;
  payload: Uint8Array;
  headers: MsgHdrs;
  reason: string;
  scope: DeadLetterScope;
}

const isDlqHeader = (name: string) => name.toLowerCase().startsWith('junction-dlq-');
const isOriginalHeader = (name: string) => !isServerHeader(name) && !isDlqHeader(name);

export class DeadLetters {
  constructor(
    private readonly jsm: JetStreamManager,
    private readonly namespace: Namespace,
    private readonly publisher: Publisher,
  ) {}

  /** Resolves once the dead-letter stream has stored the message; only then may the caller terminate it. */
  publish(failure: Failure): Promise<void> {
    const { msg } = failure;
    return this.store({
      ...failure,
      streamSeq: msg.seq,
      deliveries: msg.info.deliveryCount,
      payload: msg.data,
      headers: msg.headers ?? emptyHeaders(),
    });
  }

  /** Resolves once the dead-letter stream has stored the message; only then may the caller forget it. */
  publishHeld(failure: HeldMessageFailure): Promise<void> {
    const headers = headersFromRecord(failure.headers);
    if (failure.msgId) headers.set('Nats-Msg-Id', failure.msgId);
    return this.store({ ...failure, headers, scope: 'consumer' });
  }

  private async store(letter: DeadLetterInput): Promise<void> {
    const headers = copyHeaders(letter.headers, isOriginalHeader);
    const originalMsgId = letter.headers.get('Nats-Msg-Id');
    if (originalMsgId) headers.set(DLQ_HEADERS.msgId, originalMsgId);
    headers.set(DLQ_HEADERS.reason, asHeaderValue(letter.reason));
    headers.set(DLQ_HEADERS.consumer, letter.durable);
    headers.set(DLQ_HEADERS.stream, letter.stream);
    headers.set(DLQ_HEADERS.streamSeq, String(letter.streamSeq));
    headers.set(DLQ_HEADERS.subject, letter.subject);
    headers.set(DLQ_HEADERS.deliveries, String(letter.deliveries));
    headers.set(DLQ_HEADERS.failedAt, new Date().toISOString());
    // One dead letter per stream message (and consumer), however often a redelivery fails again.
    const dedupeId =
      letter.scope === 'message'
        ? `dlq:${letter.stream}:${letter.streamSeq}`
        : `dlq:${letter.stream}:${letter.durable}:${letter.streamSeq}`;
    await this.publisher.publish(`dlq.${letter.subject}`, letter.payload, dedupeId, headers);
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
    const limit = query.limit ?? 100;
    const filter = this.namespace.subject(`dlq.${query.subject ?? '>'}`);
    const letters: DeadLetter[] = [];
    let seq = 1;
    while (letters.length < limit) {
      const stored = await this.jsm.direct.getMessage(this.streamName(), { seq, next_by_subj: filter });
      if (!stored) break;
      letters.push(this.toDeadLetter(stored));
      seq = stored.seq + 1;
    }
    return letters;
  }

  /** The dead letter with that sequence, or undefined when there is none. */
  async get(seq: number): Promise<DeadLetter | undefined> {
    const stored = await this.jsm.direct.getMessage(this.streamName(), { seq });
    return stored ? this.toDeadLetter(stored) : undefined;
  }

  /**
   * Republishes the payload and original headers to the original subject, then removes the dead letter. The new
   * Nats-Msg-Id carries the dead letter's sequence: the broker must not drop it as a duplicate of the original, yet
   * a replay retried after a crash before the delete is deduped. Consumers' inboxes still dedupe by envelope id.
   * The replay continues the trace the message failed in (see inTraceOf).
   */
  async replay(seq: number): Promise<{ seq: number }> {
    const stored = await this.jsm.direct.getMessage(this.streamName(), { seq });
    if (!stored) throw new Error(`dead letter ${seq} not found`);
    const letter = this.toDeadLetter(stored);
    const originalId = letter.msgId ?? envelopeId(letter.payload) ?? 'dlq';
    const headers = copyHeaders(stored.header, isOriginalHeader);
    const result = await this.inTraceOf(stored, letter, () =>
      this.publisher.publish(letter.originalSubject, stored.data, `${originalId}:replay:${seq}`, headers),
    );
    await this.delete(seq);
    return { seq: result.seq };
  }

  /**
   * Runs a replay's republish under a `<dead letter subject> replay` span in the trace the message failed in: the dead
   * letter carries the context of its own publish, which hangs under the failed delivery. So a record's trace tells
   * its failure and its replay; the span and whoever asked for the replay (an operator's API call) link to each other.
   */
  private async inTraceOf<T>(stored: StoredMsg, letter: DeadLetter, republish: () => Promise<T>): Promise<T> {
    const requester = trace.getActiveSpan();
    const parent = extractTraceContext(stored.header);
    const span = messagingTracer().startSpan(
      `${letter.subject} replay`,
      {
        links: requester ? [{ context: requester.spanContext() }] : [],
        attributes: {
          [MESSAGING_ATTRIBUTES.system]: 'nats',
          [MESSAGING_ATTRIBUTES.destination]: letter.subject,
          'junction.dead_letter.seq': letter.seq,
        },
      },
      parent,
    );
    requester?.addLink({ context: span.spanContext() });
    try {
      return await context.with(trace.setSpan(parent, span), republish);
    } catch (err) {
      markFailed(span, err);
      throw err;
    } finally {
      span.end();
    }
  }

  /** How many dead letters are stored per original logical subject. */
  async countsBySubject(): Promise<Map<string, number>> {
    const info = await this.jsm.streams.info(this.streamName(), { subjects_filter: this.namespace.subject('dlq.>') });
    const counts = new Map<string, number>();
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      counts.set(this.namespace.logicalSubject(subject).replace(/^dlq\./, ''), count);
    }
    return counts;
  }

  /** Returns false when there is no dead letter with that sequence. */
  async delete(seq: number): Promise<boolean> {
    const stored = await this.jsm.direct.getMessage(this.streamName(), { seq });
    if (!stored) return false;
    return this.jsm.streams.deleteMessage(this.streamName(), seq, false);
  }

  private streamName(): string {
    return this.namespace.stream(DLQ_STREAM);
  }

  private toDeadLetter(stored: StoredMsg): DeadLetter {
    const header = stored.header ?? emptyHeaders();
    const subject = this.namespace.logicalSubject(stored.subject);
    return {
      seq: stored.seq,
      subject,
      originalSubject: header.get(DLQ_HEADERS.subject) || subject.replace(/^dlq\./, ''),
      reason: header.get(DLQ_HEADERS.reason),
      consumer: header.get(DLQ_HEADERS.consumer),
      stream: header.get(DLQ_HEADERS.stream),
      streamSeq: Number(header.get(DLQ_HEADERS.streamSeq)),
      deliveries: Number(header.get(DLQ_HEADERS.deliveries)),
      failedAt: header.get(DLQ_HEADERS.failedAt),
      msgId: header.get(DLQ_HEADERS.msgId) || undefined,
      payload: stored.string(),
      headers: headersToRecord(header, isOriginalHeader),
    };
  }
}

// Header values cannot hold line breaks (zod errors are multi-line JSON), and headers count against max_payload.
const MAX_REASON_LENGTH = 2_000;

function asHeaderValue(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH - 3)}...` : oneLine;
}

function envelopeId(payload: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed === 'object' && parsed !== null && 'id' in parsed && typeof parsed.id === 'string') return parsed.id;
  } catch {
    // Not JSON (a malformed message was dead-lettered): fall back to the dead letter's own identity.
  }
  return undefined;
}
