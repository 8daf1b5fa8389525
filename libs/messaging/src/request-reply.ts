import { context, SpanKind, trace } from '@opentelemetry/api';
import { headers as emptyHeaders, TimeoutError, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { errorMessage, isNoResponders, RequestFailedError } from './errors';
import type { Logger } from './logger';
import type { Namespace } from './namespace';
import { extractTraceContext, injectTraceContext, markFailed, messagingAttributes, messagingTracer } from './tracing';

/** What every request/reply subject answers. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

export interface ServeOptions {
  /** Queue group; defaults to the connection name so a service's replicas share the requests. */
  queue?: string;
}

export interface RequestOptions {
  /** Default 5 s. */
  timeoutMs?: number;
}

export interface RequestServer {
  /** Logical subject. */
  readonly subject: string;
  /** Stops taking requests and waits for the ones being answered. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export class RequestReply {
  constructor(
    private readonly nc: NatsConnection,
    private readonly namespace: Namespace,
    private readonly defaultQueue: string,
    private readonly logger: Logger,
  ) {}

  serve<Req, Res>(
    subject: string,
    parseRequest: (raw: unknown) => Req,
    handler: (request: Req) => Promise<Reply<Res>>,
    options: ServeOptions = {},
  ): RequestServer {
    const answering = new Set<Promise<void>>();
    const subscription = this.nc.subscribe(this.namespace.subject(subject), {
      queue: options.queue ?? this.defaultQueue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ err, subject }, 'request subscription failed');
          return;
        }
        // Answered concurrently; tracked so stop() can wait for them.
        const answer = this.answer(subject, msg, parseRequest, handler).finally(() => answering.delete(answer));
        answering.add(answer);
      },
    });
    let stopped: Promise<void> | undefined;
    return {
      subject,
      stop: () => {
        stopped ??= (async () => {
          if (!subscription.isClosed() && !this.nc.isClosed()) await subscription.drain();
          await Promise.allSettled(answering);
        })();
        return stopped;
      },
    };
  }

  async request<R>(
    subject: string,
    body: unknown,
    parseReply: (raw: unknown) => R,
    options: RequestOptions = {},
  ): Promise<R> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const attributes = messagingAttributes(this.namespace, subject, 'send', 'request');
    return messagingTracer().startActiveSpan(`${subject} request`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        const headers = emptyHeaders();
        injectTraceContext(headers);
        let reply: Msg;
        try {
          reply = await this.nc.request(this.namespace.subject(subject), JSON.stringify(body), {
            timeout: timeoutMs,
            headers,
          });
        } catch (err) {
          throw requestFailure(subject, timeoutMs, err);
        }
        try {
          return parseReply(reply.json<unknown>());
        } catch (err) {
          throw new Error(`invalid reply to a request on '${subject}': ${errorMessage(err)}`, { cause: err });
        }
      } catch (err) {
        markFailed(span, err);
        throw err;
      } finally {
        span.end();
      }
    });
  }

  private async answer<Req, Res>(
    subject: string,
    msg: Msg,
    parseRequest: (raw: unknown) => Req,
    handler: (request: Req) => Promise<Reply<Res>>,
  ): Promise<void> {
    const parent = extractTraceContext(msg.headers);
    const attributes = messagingAttributes(this.namespace, subject, 'process', 'process');
    const span = messagingTracer().startSpan(`${subject} process`, { kind: SpanKind.SERVER, attributes }, parent);
    const spanContext = trace.setSpan(parent, span);
    try {
      const reply = await context.with(spanContext, async (): Promise<Reply<Res>> => {
        let request: Req;
        try {
          request = parseRequest(msg.json<unknown>());
        } catch (err) {
          markFailed(span, err);
          return { ok: false, error: { code: 'invalid_request', message: errorMessage(err) } };
        }
        try {
          return await handler(request);
        } catch (err) {
          markFailed(span, err);
          this.logger.error({ err, subject }, 'request handler failed');
          return { ok: false, error: { code: 'internal', message: errorMessage(err) } };
        }
      });
      // The reply carries the server span's context back, so a caller can link to what happened here.
      const headers = emptyHeaders();
      injectTraceContext(headers, spanContext);
      msg.respond(JSON.stringify(reply), { headers });
    } catch (err) {
      markFailed(span, err);
      this.logger.error({ err, subject }, 'could not send reply');
    } finally {
      span.end();
    }
  }
}

function requestFailure(subject: string, timeoutMs: number, err: unknown): unknown {
  if (isNoResponders(err)) {
    return new RequestFailedError(subject, 'no_responders', `no service answers requests on '${subject}'`, { cause: err });
  }
  if (err instanceof TimeoutError) {
    return new RequestFailedError(subject, 'timeout', `request on '${subject}' got no reply within ${timeoutMs} ms`, {
      cause: err,
    });
  }
  return err;
}
