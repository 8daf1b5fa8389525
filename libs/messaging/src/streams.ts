import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { errorMessage } from './errors';
import type { Namespace } from './namespace';

/** A stream as Junction declares it; names and subjects are logical (the namespace is applied on the server). */
export interface StreamSpec {
  name: string;
  subjects: string[];
  maxAgeMs: number;
  description?: string;
  /** How long a Nats-Msg-Id is remembered for dedupe; default 2 minutes, never beyond the max age. */
  duplicateWindowMs?: number;
  /**
   * Consumers read its messages and may dead-letter them: a message may then be at most the server's max_payload
   * less DEAD_LETTER_HEADROOM_BYTES, so its dead letter (the message plus the Junction-Dlq-* headers) always fits.
   */
  deadLetterSource?: boolean;
}

export type StreamChange = 'created' | 'updated' | 'unchanged';

const DAY_MS = 24 * 60 * 60 * 1000;
// Nats-Msg-Id dedupe only covers retries within this window; longer-lived idempotency is the consumers' inbox.
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
/** What a dead letter adds to its message: the Junction-Dlq-* headers, the reason being up to 2,000 characters. */
export const DEAD_LETTER_HEADROOM_BYTES = 16 * 1024;
/** NATS's default max_payload, for when the server's is not known. */
const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
// JetStream's "stream name already in use" (with a different configuration).
const STREAM_NAME_IN_USE = 10058;
// JetStream's "subjects overlap with an existing stream".
const SUBJECTS_OVERLAP = 10065;

export const JUNCTION_STREAMS: readonly StreamSpec[] = [
  {
    name: 'EVENTS',
    subjects: ['deal.>', 'order.>', 'customer.>', 'contact.>', 'product.>', 'record.>'],
    maxAgeMs: 7 * DAY_MS,
    description: 'Canonical events and command outcomes',
    deadLetterSource: true,
  },
  {
    name: 'COMMANDS',
    subjects: ['cmd.>'],
    maxAgeMs: 7 * DAY_MS,
    description: 'Commands to one connector',
    deadLetterSource: true,
  },
  {
    name: 'SYNC',
    subjects: ['sync.>'],
    maxAgeMs: 7 * DAY_MS,
    description: 'Sync requests and run updates',
    deadLetterSource: true,
  },
  {
    name: 'CONFIG',
    subjects: ['config.>'],
    maxAgeMs: 30 * DAY_MS,
    description: 'Configuration changes',
    deadLetterSource: true,
  },
  {
    name: 'DLQ',
    subjects: ['dlq.>'],
    maxAgeMs: 30 * DAY_MS,
    description: 'Dead letters, kept for browsing and replay',
    // A message several consumers reject is dead-lettered once, even when one of them reads it hours later.
    duplicateWindowMs: DAY_MS,
  },
];

/** The stream settings Junction owns; anything else on the stream (placement, replicas) is left to operators. */
type OwnedConfig = Pick<
  StreamConfig,
  'name' | 'subjects' | 'retention' | 'storage' | 'max_age' | 'duplicate_window' | 'discard' | 'allow_direct' | 'max_msg_size'
> & { description?: string };

/** `serverMaxPayload` is the server's max_payload (the largest message a client may publish). */
export function streamConfig(
  namespace: Namespace,
  spec: StreamSpec,
  serverMaxPayload = DEFAULT_MAX_PAYLOAD_BYTES,
): OwnedConfig {
  return {
    name: namespace.stream(spec.name),
    subjects: spec.subjects.map((subject) => namespace.subject(subject)),
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(spec.maxAgeMs),
    duplicate_window: nanos(Math.min(spec.duplicateWindowMs ?? DUPLICATE_WINDOW_MS, spec.maxAgeMs)),
    discard: DiscardPolicy.Old,
    // -1: no limit of the stream's own, max_payload applies.
    max_msg_size: spec.deadLetterSource ? serverMaxPayload - DEAD_LETTER_HEADROOM_BYTES : -1,
    // Direct get reads a message by sequence without a consumer (dead-letter browsing, admin tools).
    allow_direct: true,
    description: spec.description,
  };
}

/** Names of the owned settings whose value on the server differs from the declared one. */
export function configDrift(current: StreamConfig, desired: OwnedConfig): string[] {
  const sameSubjects = [...current.subjects].sort().join(' ') === [...desired.subjects].sort().join(' ');
  const drift = sameSubjects ? [] : ['subjects'];
  const scalars = [
    'retention',
    'storage',
    'max_age',
    'duplicate_window',
    'discard',
    'allow_direct',
    'max_msg_size',
    'description',
  ] as const;
  for (const key of scalars) {
    if (current[key] !== desired[key]) drift.push(key);
  }
  return drift;
}

/**
 * Creates the stream or brings its owned settings up to date. Runs at every boot of every replica, so it must be
 * idempotent and survive replicas racing to create the same stream.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  namespace: Namespace,
  spec: StreamSpec,
  serverMaxPayload?: number,
): Promise<StreamChange> {
  const desired = streamConfig(namespace, spec, serverMaxPayload);
  let current = await streamInfo(jsm, desired.name);
  if (!current) {
    try {
      await jsm.streams.add(desired);
      return 'created';
    } catch (err) {
      // A replica that loses the race hears "name in use" or, on nats-server 2.9, "subjects overlap" (the winner's
      // stream already holds these subjects). Either way the stream must now exist under our name.
      const lostRace = err instanceof JetStreamApiError && (err.code === STREAM_NAME_IN_USE || err.code === SUBJECTS_OVERLAP);
      if (!lostRace) throw err;
      const winner = await streamInfo(jsm, desired.name);
      if (!winner) throw err;
      current = winner;
    }
    // Another replica created it first, possibly from another version of the spec: reconcile with what it made.
  }
  const drift = configDrift(current.config, desired);
  if (drift.length === 0) return 'unchanged';
  try {
    await jsm.streams.update(desired.name, desired);
  } catch (err) {
    throw new Error(`cannot update stream ${desired.name} (${drift.join(', ')}): ${errorMessage(err)}`, { cause: err });
  }
  return 'updated';
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return null;
    throw err;
  }
}
