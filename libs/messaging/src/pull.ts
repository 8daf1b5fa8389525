import { dirname, join } from 'node:path';
import { JetStreamStatus, type JsMsg } from '@nats-io/jetstream/internal';
import { createInbox, nanos, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

// nats.js 3.4 (pinned) exports no way to make a JsMsg of a message its caller pulled; its own consumers use this.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toJsMsg } = require(join(dirname(require.resolve('@nats-io/jetstream')), 'jsmsg.js')) as {
  toJsMsg: (msg: Msg) => JsMsg;
};

export interface DurablePullOptions {
  nc: NatsConnection;
  /** The durable's stream and name, as the server knows them. */
  stream: string;
  durable: string;
  /** Where the connection's replies arrive (`inboxPrefix`). */
  inboxPrefix: string;
  /** Messages asked for or being handled at once, at most. */
  capacity: number;
  /** How long the server keeps a request open for messages. */
  expiresMs: number;
  /** How often the server says an open request is still there while it has nothing to send. */
  heartbeatMs: number;
  /** Handles one message; its slot is asked for again once this settles. */
  handle: (msg: JsMsg) => Promise<void>;
  /** Something kept the server from sending messages for a while (it is retried; this is for the log). */
  onTrouble: (reason: string) => void;
}

// What the server answers on the inbox beside messages.
const IDLE_HEARTBEAT = 100;
// After trouble, the next request waits this long: a missing consumer or stream answers at once.
const RETRY_MS = 1_000;

/**
 * A durable's messages on one subscription, asked for as handlers free up: each request asks for the free slots, so
 * a replica never holds more than `capacity` messages (nats.js's `consume()` asks again when messages arrive, not when
 * they are handled: a slow replica would hold what others could work on, each with its AckWait running). A request
 * the server ends unfilled (expiry, 408) gives its slots back; silence past two heartbeats, a reconnect or any other
 * status drops what was asked for and asks again.
 */
export class DurablePull {
  private readonly subject: string;
  private readonly inbox: string;
  private subscription?: Subscription;
  /** Messages asked for that the server may still send. */
  private asked = 0;
  private handling = 0;
  private askQueued = false;
  private retryTimer?: NodeJS.Timeout;
  private watchdog?: NodeJS.Timeout;
  /** When the server last said anything on the inbox (performance.now()). */
  private lastHeardAt = 0;
  private stopping = false;
  /** Callers of `stop` waiting for the handlers to finish. */
  private readonly idleWaiters: Array<() => void> = [];
  private statuses?: AsyncIterable<{ type: string }>;

  constructor(private readonly options: DurablePullOptions) {
    this.subject = `$JS.API.CONSUMER.MSG.NEXT.${options.stream}.${options.durable}`;
    this.inbox = createInbox(options.inboxPrefix);
  }

  start(): void {
    this.subscription = this.options.nc.subscribe(this.inbox, {
      callback: (err, msg) => (err ? this.trouble(`the pull's subscription failed: ${err.message}`) : this.received(msg)),
    });
    void this.watchReconnects();
    this.ask();
  }

  /** Asks for nothing more; resolves once every message taken is handled (those arriving meanwhile go to `handle` too). */
  async stop(): Promise<void> {
    this.halt();
    if (this.handling > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends the subscription: what the server sends after this comes back after AckWait. */
  close(): void {
    this.halt();
    this.subscription?.unsubscribe();
    // nats.js's status iterator has a stop() its type does not show; without it the loop waits for the next status.
    (this.statuses as { stop?: () => void } | undefined)?.stop?.();
  }

  private halt(): void {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchdog);
  }

  private received(msg: Msg): void {
    this.lastHeardAt = performance.now();
    const status = JetStreamStatus.maybeParseStatus(msg);
    if (!status) {
      this.asked = Math.max(0, this.asked - 1);
      void this.run(toJsMsg(msg));
      return;
    }
    if (status.code === IDLE_HEARTBEAT) return;
    const { msgsLeft } = status.parseDiscard();
    if (msgsLeft > 0) {
      // An expired request (408), or one the server ended early, with what it did not send.
      this.asked = Math.max(0, this.asked - msgsLeft);
      this.ask();
      return;
    }
    this.trouble(`the server answered ${status.code} ${status.description}`);
  }

  private async run(msg: JsMsg): Promise<void> {
    this.handling++;
    try {
      await this.options.handle(msg);
    } finally {
      this.handling--;
      if (this.handling === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      this.ask();
    }
  }

  /** Asks for the free slots, once per turn of the event loop however many freed up in it. */
  private ask(): void {
    if (this.askQueued || this.stopping) return;
    this.askQueued = true;
    queueMicrotask(() => {
      this.askQueued = false;
      const free = this.options.capacity - this.asked - this.handling;
      if (this.stopping || free <= 0 || this.retryTimer) return;
      const request = { batch: free, expires: nanos(this.options.expiresMs), idle_heartbeat: nanos(this.options.heartbeatMs) };
      try {
        this.options.nc.publish(this.subject, JSON.stringify(request), { reply: this.inbox });
      } catch (err) {
        this.trouble(`could not ask for messages: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      this.asked += free;
      // The new request's silence counts from now.
      this.lastHeardAt = performance.now();
      this.armWatchdog();
    });
  }

  /**
   * Past two heartbeats without a word from the server while messages are asked for, the requests are gone. One timer,
   * looked at when it fires, rather than one per message received.
   */
  private armWatchdog(): void {
    if (this.watchdog || this.stopping) return;
    const silenceMs = 2 * this.options.heartbeatMs + 1_000;
    const check = () => {
      this.watchdog = undefined;
      if (this.stopping || this.asked === 0) return;
      const quietMs = performance.now() - this.lastHeardAt;
      if (quietMs < silenceMs) this.watchdog = setTimeout(check, silenceMs - quietMs);
      else this.trouble('no heartbeat from the server for two intervals');
    };
    this.watchdog = setTimeout(check, silenceMs);
  }

  /** Forgets what was asked for (the server may have dropped it) and asks again shortly. */
  private trouble(reason: string): void {
    if (this.stopping) return;
    this.options.onTrouble(reason);
    this.asked = 0;
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ask();
    }, RETRY_MS);
  }

  /** A restarted server forgot the open requests; one reconnected to kept them, and asking again only overlaps. */
  private async watchReconnects(): Promise<void> {
    this.statuses = this.options.nc.status();
    for await (const status of this.statuses) {
      if (this.stopping) return;
      if (status.type === 'reconnect') {
        this.asked = 0;
        this.ask();
      }
    }
  }
}
