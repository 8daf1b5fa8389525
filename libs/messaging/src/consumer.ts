import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import type { JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { decodeJsonBody } from './body';
import type { DeadLetters, DeadLetterScope } from './dead-letters';
import { Delivery } from './delivery';
import { durableConfig, ensureDurable } from './durable';
import { errorMessage, MessageTooLargeError, PermanentError, RetryableError } from './errors';
import { headersToRecord } from './headers';
import type { Logger } from './logger';
import { consumerAttributes, messagingMetrics, observeConsumer } from './metrics';
import type { Namespace } from './namespace';
import { DurablePull } from './pull';
import { extractTraceContext, markFailed, MESSAGING_ATTRIBUTES, messagingAttributes, messagingTracer } from './tracing';

export interface MessageContext {
  /** Logical subject the message was published to. */
  subject: string;
  /** Logical stream name. */
  stream: string;
  /** The durable consumer name: the natural inbox key for idempotent handling. */
  durable: string;
  streamSeq: number;
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** Nats-Msg-Id: the envelope id for messages published with `Bus.publish`. */
  msgId?: string;
  headers: Record<string, string>;
}

export interface ConsumeOptions<T> {
  /** Logical stream name, e.g. 'EVENTS'. */
  stream: string;
  /** Durable consumer name; replicas of a service share it and split the messages. */
  durable: string;
  /** Logical subject filter, wildcards allowed: 'deal.won', 'cmd.hubspot.>'. */
  filterSubject: string;
  /** Validates the decoded JSON (typically a zod contract's parse); throwing dead-letters the message. */
  parse: (raw: unknown, subject: string) => T;
  handle: (message: T, ctx: MessageContext) => Promise<void>;
  /** Deliveries before a failing message is dead-lettered; default 8. */
  maxDeliver?: number;
  /** How long the server waits for an outcome before redelivering; default 30 s, kept alive while a handler runs. */
  ackWaitMs?: number;
  /** Messages handled at once by this replica; default 1. */
  concurrency?: number;
  /** Redelivery delay after the n-th failed delivery; default `exponentialBackoff`. */
  backoff?: (deliveryCount: number) => number;
}

export interface ConsumerStats {
  /** Messages handled and their acks sent. */
  processed: number;
  /** Failed deliveries (parse failures and handler errors, retried or not). */
  failed: number;
  deadLettered: number;
}

export interface StopOptions {
  /** How long in-flight handlers may run on before their messages are handed back; default 10 s. */
  graceMs?: number;
}

export interface ConsumerHandle {
  readonly durable: string;
  readonly stats: Readonly<ConsumerStats>;
  /** Stops pulling, waits for in-flight handlers up to the grace period, hands the rest back. Idempotent. */
  stop(options?: StopOptions): Promise<void>;
}

export const DEFAULT_STOP_GRACE_MS = 10_000;
// A request for messages stays open this long at the server; stop() does not wait for it.
const PULL_EXPIRES_MS = 30_000;
// While a request is open the server says so this often, so a request it lost is noticed within two.
const PULL_HEARTBEAT_MS = 5_000;
// Messages handed back at shutdown: soon enough for another replica, without spinning on this one.
const HAND_BACK_DELAY_MS = 500;

/** 1 s, 2 s, 4 s ... capped at 60 s, each ±20 % so failed messages do not come back in lockstep. */
export function exponentialBackoff(deliveryCount: number): number {
  const base = Math.min(1_000 * 2 ** Math.max(deliveryCount - 1, 0), 60_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface ConsumerDependencies {
  nc: NatsConnection;
  /** The connection's inbox prefix (`inboxPrefix`), where the consumer's messages arrive. */
  inboxPrefix: string;
  jsm: JetStreamManager;
  namespace: Namespace;
  deadLetters: DeadLetters;
  logger: Logger;
}

/** A running durable pull consumer: up to `concurrency` messages handled at once, each asked for when a slot is free. */
export class MessageConsumer<T> implements ConsumerHandle {
  readonly durable: string;
  readonly stats: ConsumerStats = { processed: 0, failed: 0, deadLettered: 0 };
  private readonly options: Required<ConsumeOptions<T>>;
  private readonly inFlight = new Set<Delivery>();
  private stopRequested = false;
  private pull?: DurablePull;
  private stopped?: Promise<void>;
  private stopObserving?: () => void;

  constructor(
    private readonly deps: ConsumerDependencies,
    options: ConsumeOptions<T>,
  ) {
    this.durable = options.durable;
    this.options = {
      ...options,
      maxDeliver: options.maxDeliver ?? 8,
      ackWaitMs: options.ackWaitMs ?? 30_000,
      concurrency: options.concurrency ?? 1,
      backoff: options.backoff ?? exponentialBackoff,
    };
    for (const key of ['maxDeliver', 'concurrency'] as const) {
      const value = this.options[key];
      if (!Number.isInteger(value) || value < 1) throw new Error(`${key} must be a positive integer, got ${value}`);
    }
  }

  /** Creates or updates the durable, then starts pulling. */
  async start(): Promise<void> {
    const stream = this.deps.namespace.stream(this.options.stream);
    const info = await ensureDurable(this.deps.jsm, stream, durableConfig(this.deps.namespace, this.options));
    this.pull = new DurablePull({
      nc: this.deps.nc,
      stream,
      durable: info.name,
      inboxPrefix: this.deps.inboxPrefix,
      capacity: this.options.concurrency,
      expiresMs: PULL_EXPIRES_MS,
      heartbeatMs: PULL_HEARTBEAT_MS,
      // Messages of requests still open at the server arrive after stop() too: back to the stream at once.
      handle: (msg) => (this.stopRequested ? Promise.resolve(this.handBack(msg)) : this.process(msg)),
      onTrouble: (reason) => this.deps.logger.warn({ durable: this.durable, reason }, 'pulling messages failed; retrying'),
    });
    this.pull.start();
    this.stopObserving = observeConsumer(
      consumerAttributes(this.durable, this.options.filterSubject),
      async () => {
        const counts = await this.deps.jsm.consumers.info(stream, this.durable);
        return { pending: counts.num_pending, ackPending: counts.num_ack_pending, redelivered: counts.num_redelivered };
      },
      (err) => this.deps.logger.warn({ err, durable: this.durable }, 'could not read consumer counts for metrics'),
    );
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.stopped ??= this.shutDown(options.graceMs ?? DEFAULT_STOP_GRACE_MS);
    return this.stopped;
  }

  private async shutDown(graceMs: number): Promise<void> {
    this.stopRequested = true;
    this.stopObserving?.();
    const pull = this.pull;
    if (!pull) return;
    try {
      if (await settlesWithin(pull.stop(), graceMs)) return;
      this.handBackInFlight();
    } finally {
      pull.close();
    }
  }

  private handBackInFlight(): void {
    for (const delivery of this.inFlight) {
      // The handler overran the grace period: hand the message back now rather than after AckWait.
      this.deps.logger.warn(
        { durable: this.durable, streamSeq: delivery.msg.seq, delayMs: HAND_BACK_DELAY_MS },
        'handler still running at shutdown; message handed back for redelivery',
      );
      this.handBack(delivery);
    }
  }

  /** Returns a message to the stream for prompt redelivery, to this consumer's next replica. */
  private handBack(message: JsMsg | Delivery): void {
    try {
      message.nak(HAND_BACK_DELAY_MS);
    } catch (err) {
      this.deps.logger.warn({ err, durable: this.durable }, 'could not hand a message back; it returns after AckWait');
    }
  }

  private async process(msg: JsMsg): Promise<void> {
    const delivery = new Delivery(msg, this.options.ackWaitMs);
    this.inFlight.add(delivery);
    const subject = this.deps.namespace.logicalSubject(msg.subject);
    const msgId = msg.headers?.get('Nats-Msg-Id') || undefined;
    const parent = extractTraceContext(msg.headers);
    const span = messagingTracer().startSpan(
      `${subject} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          ...messagingAttributes(this.deps.namespace, subject, 'process', 'process'),
          [MESSAGING_ATTRIBUTES.consumerGroup]: this.durable,
          [MESSAGING_ATTRIBUTES.deliveryCount]: msg.info.deliveryCount,
          ...(msgId ? { [MESSAGING_ATTRIBUTES.messageId]: msgId } : {}),
        },
      },
      parent,
    );
    const ctx: MessageContext = {
      subject,
      stream: this.options.stream,
      durable: this.durable,
      streamSeq: msg.seq,
      deliveryCount: msg.info.deliveryCount,
      msgId,
      headers: headersToRecord(msg.headers),
    };
    const startedAt = performance.now();
    let errorType: string | undefined;
    try {
      errorType = await context.with(trace.setSpan(parent, span), () => this.handle(delivery, ctx, span));
    } catch (err) {
      // Only a lost connection gets here (no outcome could be sent): the server redelivers after AckWait.
      errorType = errorTypeOf(err);
      markFailed(span, err);
      this.deps.logger.error({ err, subject, durable: this.durable, streamSeq: msg.seq }, 'could not settle message');
    } finally {
      delivery.release();
      this.inFlight.delete(delivery);
      span.end();
      messagingMetrics().processDuration.record((performance.now() - startedAt) / 1000, {
        ...this.metricAttributes(subject),
        ...(errorType ? { 'error.type': errorType } : {}),
      });
    }
  }

  private metricAttributes(subject: string) {
    return consumerAttributes(this.durable, subject);
  }

  /** Settles the delivery; resolves the failure's error type, or undefined when it was handled. */
  private async handle(delivery: Delivery, ctx: MessageContext, span: Span): Promise<string | undefined> {
    let message: T;
    try {
      message = this.options.parse(decodeJsonBody(delivery.msg.data), ctx.subject);
    } catch (err) {
      markFailed(span, err);
      this.stats.failed++;
      // Every consumer of the subject reads it against the same contract: one dead letter tells it for all of them.
      await this.deadLetter(delivery, ctx, `invalid message: ${errorMessage(err)}`, 'message');
      return 'invalid_message';
    }
    try {
      await this.options.handle(message, ctx);
    } catch (err) {
      markFailed(span, err);
      this.stats.failed++;
      await this.settleFailure(delivery, ctx, err);
      return errorTypeOf(err);
    }
    const where = { subject: ctx.subject, durable: this.durable, streamSeq: ctx.streamSeq };
    if (delivery.isSettled) {
      // stop() handed the message back while the handler overran; the redelivery is deduped by the inbox.
      this.deps.logger.warn(where, 'handler finished after its message was handed back');
      return;
    }
    if (!delivery.ack()) {
      this.deps.logger.warn(where, 'could not send the ack; the message will be redelivered');
      return;
    }
    this.stats.processed++;
  }

  private async settleFailure(delivery: Delivery, ctx: MessageContext, err: unknown): Promise<void> {
    if (err instanceof PermanentError) return this.deadLetter(delivery, ctx, err.reason);
    // What the handler publishes will be as large on every retry.
    if (err instanceof MessageTooLargeError) return this.deadLetter(delivery, ctx, err.message);
    if (ctx.deliveryCount >= this.options.maxDeliver) {
      return this.deadLetter(delivery, ctx, `gave up after ${ctx.deliveryCount} deliveries: ${errorMessage(err)}`);
    }
    const retryAfterMs = err instanceof RetryableError ? err.retryAfterMs : undefined;
    const delayMs = retryAfterMs ?? this.options.backoff(ctx.deliveryCount);
    this.deps.logger.warn(
      { err, subject: ctx.subject, durable: this.durable, streamSeq: ctx.streamSeq, deliveries: ctx.deliveryCount, delayMs },
      'message handling failed; will retry',
    );
    delivery.nak(delayMs);
    messagingMetrics().redeliveries.add(1, this.metricAttributes(ctx.subject));
  }

  /** Dead letter first, terminate second: a message is never let go before its copy is stored. */
  private async deadLetter(
    delivery: Delivery,
    ctx: MessageContext,
    reason: string,
    scope: DeadLetterScope = 'consumer',
  ): Promise<void> {
    const failure = { msg: delivery.msg, subject: ctx.subject, stream: ctx.stream, durable: this.durable, reason, scope };
    try {
      await this.deps.deadLetters.publish(failure);
    } catch (err) {
      const delayMs = this.options.backoff(ctx.deliveryCount);
      this.deps.logger.error(
        { err, subject: ctx.subject, durable: this.durable, streamSeq: ctx.streamSeq, reason, delayMs },
        'could not dead-letter message; will retry',
      );
      delivery.nak(delayMs);
      return;
    }
    delivery.term();
    this.stats.deadLettered++;
    messagingMetrics().deadLetters.add(1, this.metricAttributes(ctx.subject));
    this.deps.logger.error(
      { subject: ctx.subject, durable: this.durable, streamSeq: ctx.streamSeq, deliveries: ctx.deliveryCount, reason },
      'message dead-lettered',
    );
  }
}

/** `error.type` of a failed delivery: the error's class, e.g. PermanentError or VendorRateLimitError. */
function errorTypeOf(err: unknown): string {
  return err instanceof Error ? err.constructor.name : 'unknown';
}

/** True when the promise settled within `ms`; the timer never outlives the wait. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
