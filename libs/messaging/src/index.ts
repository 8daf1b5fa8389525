export { Bus, type BusOptions, type DrainOptions, type UnsettledConsumer } from './bus';
export { inboxPrefix, type ConnectionOptions } from './connection';
export {
  exponentialBackoff,
  type ConsumeOptions,
  type ConsumerHandle,
  type ConsumerStats,
  type MessageContext,
  type StopOptions,
} from './consumer';
export { DLQ_HEADERS, DLQ_STREAM, type DeadLetter, type DeadLetterQuery, type HeldMessageFailure } from './dead-letters';
export { MessageTooLargeError, NoStreamError, PermanentError, RequestFailedError, RetryableError } from './errors';
export type { Logger } from './logger';
export type { PublishOptions, PublishResult } from './publisher';
export type { Reply, RequestOptions, RequestServer, ServeOptions } from './request-reply';
export { DEAD_LETTER_HEADROOM_BYTES, JUNCTION_STREAMS, type StreamChange, type StreamSpec } from './streams';
