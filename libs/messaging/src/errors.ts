import { JetStreamApiError } from '@nats-io/jetstream';
import { InvalidArgumentError, RequestError } from '@nats-io/transport-node';

/** Thrown by a handler when the message can never succeed (invalid data, a rule says no): dead-lettered at once. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';

  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(reason, options);
  }
}

/** Thrown by a handler when a later attempt may succeed; `retryAfterMs` (e.g. a 429's Retry-After) beats the backoff. */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  readonly retryAfterMs?: number;

  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** No stream stores the subject. JetStream itself reports this as "jetstream is not enabled", which misleads. */
export class NoStreamError extends Error {
  override readonly name = 'NoStreamError';

  constructor(
    readonly subject: string,
    options?: ErrorOptions,
  ) {
    super(`no JetStream stream stores subject '${subject}' (did ensureStreams() run for this namespace?)`, options);
  }
}

/** The stream (its max_msg_size) or the client (the server's max_payload) refused a message for its size. */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';

  constructor(
    readonly subject: string,
    readonly bytes: number,
    options?: ErrorOptions,
  ) {
    super(`a message of ${bytes} bytes to '${subject}' is larger than its stream takes`, options);
  }
}

// JetStream's "message size exceeds maximum allowed".
const MESSAGE_SIZE_EXCEEDED = 10054;

/** The server refused the publish for the stream's max_msg_size, or the client for the server's max_payload. */
export function isTooLarge(err: unknown): boolean {
  if (err instanceof JetStreamApiError) return err.code === MESSAGE_SIZE_EXCEEDED;
  return err instanceof InvalidArgumentError && err.message.includes('max_payload');
}

/** A core NATS request got no answer: nobody serves the subject, or no reply came in time. */
export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError';

  constructor(
    readonly subject: string,
    readonly kind: 'no_responders' | 'timeout',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** NATS wraps "no responders" in other errors (a JetStream publish reports it as "jetstream is not enabled"). */
export function isNoResponders(err: unknown): boolean {
  for (let current = err; current instanceof Error; current = current.cause) {
    if (current instanceof RequestError && current.isNoResponders()) return true;
  }
  return false;
}
