import {
  jetstream,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
// From nats-core, not transport-node: transport-node re-exports it through a package subpath that projects on
// moduleResolution "node" cannot resolve, which would type `bus.nc` as `any` for every caller.
import type { NatsConnection } from '@nats-io/nats-core';
import { connectNats, inboxPrefix, type ConnectionOptions } from './connection';
import { MessageConsumer, DEFAULT_STOP_GRACE_MS, type ConsumeOptions, type ConsumerHandle } from './consumer';
import { DeadLetters, type DeadLetter, type DeadLetterQuery, type HeldMessageFailure } from './dead-letters';
import { silentLogger, type Logger } from './logger';
import { MESSAGING_ATTRIBUTES } from './tracing';
import { consumerAttributes, messagingMetrics } from './metrics';
import { Namespace } from './namespace';
import { Publisher, type PublishOptions, type PublishResult } from './publisher';
import { RequestReply, type Reply, type RequestOptions, type RequestServer, type ServeOptions } from './request-reply';
import { ensureStream, JUNCTION_STREAMS, type StreamChange, type StreamSpec } from './streams';

export interface BusOptions extends ConnectionOptions {
  /** Prefix for every subject (`<ns>.deal.won`) and stream (`<NS>_EVENTS`); tests use a random one. */
  namespace?: string;
  logger?: Logger;
}

/** A durable with messages it has not settled yet. */
export interface UnsettledConsumer {
  /** Logical stream name. */
  stream: string;
  durable: string;
  /** Messages not yet delivered to it. */
  pending: number;
  /** Messages delivered and neither acknowledged nor terminated yet (redeliveries waiting out their delay included). */
  ackPending: number;
}

export interface DrainOptions {
  /** How long in-flight handlers may run on before their messages are handed back; default 10 s. */
  graceMs?: number;
}

/**
 * Junction's only way onto NATS. Code speaks logical subjects and stream names; the bus applies the namespace,
 * dedupe ids, trace context, retries and dead letters.
 */
export class Bus {
  private readonly publisher: Publisher;
  private readonly deadLetters: DeadLetters;
  private readonly requestReply: RequestReply;
  private readonly consumers = new Set<ConsumerHandle>();
  private readonly servers = new Set<RequestServer>();
  private shutdown?: Promise<void>;

  private constructor(
    /** The raw connection, for advanced use; subjects on it are not namespaced for you. */
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    private readonly names: Namespace,
    private readonly logger: Logger,
    private readonly connectionName: string,
  ) {
    this.publisher = new Publisher(js, names);
    this.deadLetters = new DeadLetters(jsm, names, this.publisher);
    this.requestReply = new RequestReply(nc, names, connectionName, logger);
  }

  static async connect(options: BusOptions): Promise<Bus> {
    const names = new Namespace(options.namespace);
    const logger = options.logger ?? silentLogger;
    const nc = await connectNats(options, logger);
    try {
      // Fails fast when the server has no JetStream.
      const jsm = await jetstreamManager(nc);
      return new Bus(nc, jetstream(nc), jsm, names, logger, options.name);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  get namespace(): string | undefined {
    return this.names.prefix;
  }

  /** The subject on the server for a logical subject: `deal.won` → `<ns>.deal.won`. */
  subject(logical: string): string {
    return this.names.subject(logical);
  }

  /** The stream name on the server for a logical stream name: `EVENTS` → `<NS>_EVENTS`. */
  streamName(logical: string): string {
    return this.names.stream(logical);
  }

  /** Creates missing streams and updates drifted ones; run at every boot. Returns what happened per stream. */
  async ensureStreams(specs: readonly StreamSpec[] = JUNCTION_STREAMS): Promise<Record<string, StreamChange>> {
    const maxPayload = this.nc.info?.max_payload;
    const changes = await Promise.all(specs.map((spec) => ensureStream(this.jsm, this.names, spec, maxPayload)));
    const result: Record<string, StreamChange> = {};
    specs.forEach((spec, index) => {
      result[spec.name] = changes[index];
      if (changes[index] !== 'unchanged') {
        this.logger.info({ stream: this.names.stream(spec.name), change: changes[index] }, 'stream declared');
      }
    });
    return result;
  }

  /**
   * Every durable on Junction's streams that still has messages to deliver or to settle: an empty list means every
   * consumer is done with everything published so far. Streams not declared yet have none.
   */
  async unsettledConsumers(): Promise<UnsettledConsumer[]> {
    const unsettled: UnsettledConsumer[] = [];
    for (const { name } of JUNCTION_STREAMS) {
      try {
        for await (const info of this.jsm.consumers.list(this.names.stream(name))) {
          if (info.num_pending > 0 || info.num_ack_pending > 0) {
            unsettled.push({ stream: name, durable: info.name, pending: info.num_pending, ackPending: info.num_ack_pending });
          }
        }
      } catch (err) {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
      }
    }
    return unsettled;
  }

  /** Publishes a JSON envelope to a stream; `Nats-Msg-Id` is `msgId ?? envelope.id`, so a retry is deduped. */
  publish<E extends { id: string }>(subject: string, envelope: E, options?: PublishOptions): Promise<PublishResult> {
    return this.publisher.publishEnvelope(subject, envelope, options);
  }

  /** Starts a durable pull consumer (created or updated first). */
  async consume<T>(options: ConsumeOptions<T>): Promise<ConsumerHandle> {
    this.assertOpen();
    const consumer = new MessageConsumer(
      {
        nc: this.nc,
        inboxPrefix: inboxPrefix(this.connectionName),
        jsm: this.jsm,
        namespace: this.names,
        deadLetters: this.deadLetters,
        logger: this.logger,
      },
      options,
    );
    // Registered before it starts, so a drain that begins meanwhile stops it too.
    this.consumers.add(consumer);
    try {
      await consumer.start();
    } catch (err) {
      this.consumers.delete(consumer);
      throw err;
    }
    return consumer;
  }

  /**
   * Dead-letters a message a consumer acknowledged and held elsewhere (see HeldMessageFailure); resolves once it is
   * stored, under the same dedupe id as if the consumer had given up on the delivery itself.
   */
  async deadLetter(failure: HeldMessageFailure): Promise<void> {
    await this.deadLetters.publishHeld(failure);
    messagingMetrics().deadLetters.add(1, consumerAttributes(failure.durable, failure.subject));
  }

  listDeadLetters(query?: DeadLetterQuery): Promise<DeadLetter[]> {
    return this.deadLetters.list(query);
  }

  /** The dead letter with that sequence, or undefined when there is none. */
  getDeadLetter(seq: number): Promise<DeadLetter | undefined> {
    return this.deadLetters.get(seq);
  }

  /** Republishes a dead letter to its original subject and removes it from the dead-letter stream. */
  replayDeadLetter(seq: number): Promise<{ seq: number }> {
    return this.deadLetters.replay(seq);
  }

  /** Returns false when there is no dead letter with that sequence. */
  deleteDeadLetter(seq: number): Promise<boolean> {
    return this.deadLetters.delete(seq);
  }

  /**
   * Reports the stored dead letters per original subject (`junction.messaging.dead_letter.count`) on every metrics
   * collection, until the returned function is called. One service should do it (the one serving dead letters).
   */
  observeDeadLetters(): () => void {
    const { deadLettersStored } = messagingMetrics();
    // The SDK repeats the last value of a subject nobody observes any more: once a subject had dead letters, it is
    // observed for good, so that it reads 0 when they are all replayed or deleted.
    const subjects = new Set<string>();
    const callback = async (result: { observe(value: number, attributes: Record<string, string>): void }) => {
      try {
        const counts = await this.deadLetters.countsBySubject();
        for (const subject of counts.keys()) subjects.add(subject);
        for (const subject of subjects) {
          const attributes = { [MESSAGING_ATTRIBUTES.system]: 'nats', [MESSAGING_ATTRIBUTES.destination]: subject };
          result.observe(counts.get(subject) ?? 0, attributes);
        }
      } catch (err) {
        this.logger.warn({ err }, 'could not count dead letters for metrics');
      }
    };
    deadLettersStored.addCallback(callback);
    return () => deadLettersStored.removeCallback(callback);
  }

  /** Answers requests on a logical subject (core NATS, nothing stored). */
  serve<Req, Res>(
    subject: string,
    parseRequest: (raw: unknown) => Req,
    handler: (request: Req) => Promise<Reply<Res>>,
    options?: ServeOptions,
  ): RequestServer {
    this.assertOpen();
    const server = this.requestReply.serve(subject, parseRequest, handler, options);
    this.servers.add(server);
    return server;
  }

  /** Sends a request and parses the reply; no responder or no reply in time throws a RequestFailedError. */
  request<R>(subject: string, body: unknown, parseReply: (raw: unknown) => R, options?: RequestOptions): Promise<R> {
    return this.requestReply.request(subject, body, parseReply, options);
  }

  /**
   * Graceful shutdown: consumers stop pulling, in-flight handlers get `graceMs` to finish (their messages are handed
   * back after that), servers answer what they hold, then the connection drains. Idempotent.
   */
  drain(options: DrainOptions = {}): Promise<void> {
    this.shutdown ??= this.stopAll(options.graceMs ?? DEFAULT_STOP_GRACE_MS, () => this.nc.drain());
    return this.shutdown;
  }

  /** Fast shutdown for tests: in-flight messages are handed back at once and the connection closes. Idempotent. */
  close(): Promise<void> {
    this.shutdown ??= this.stopAll(0, () => this.nc.close());
    return this.shutdown;
  }

  private async stopAll(graceMs: number, closeConnection: () => Promise<void>): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop({ graceMs })));
    await Promise.all([...this.servers].map((server) => server.stop()));
    if (!this.nc.isClosed()) await closeConnection();
  }

  private assertOpen(): void {
    if (this.shutdown) throw new Error('the bus is shutting down');
  }
}
