import { z } from 'zod';
import { Timestamp } from './entities';
import { documented, withDescription } from './schema-docs';

const MESSAGE_ID_MAX_LENGTH = 512;
const NO_WHITESPACE = /^\S+$/;

// The envelope id doubles as the Nats-Msg-Id header. NATS headers are line-based and trim values, so
// whitespace would break or silently change the id, and with it JetStream's duplicate detection.
const headerSafeKey = () =>
  z.string().min(1).max(MESSAGE_ID_MAX_LENGTH).regex(NO_WHITESPACE, 'Must not contain whitespace');

export const MessageId = documented(headerSafeKey(), {
  id: 'MessageId',
  description:
    'Deterministic id derived from the source record and change, so the same change always gets the same id. ' +
    'Also sent as the Nats-Msg-Id header, hence no whitespace.',
});
export type MessageId = z.infer<typeof MessageId>;

// Source keys become parts of message ids, so they follow the same rules.
export const SourceKey = documented(headerSafeKey(), {
  id: 'SourceKey',
  description:
    'Stable key of a source record, <connector>:<connectionId>:<entityType>:<sourceId>; ' +
    'target connectors key their ID maps by it, and message ids are often built from it.',
});
export type SourceKey = z.infer<typeof SourceKey>;

export const EnvelopeBase = z.object({
  id: MessageId,
  type: documented(z.string().min(1), { description: 'The logical subject the message is published on, e.g. deal.won.' }),
  version: documented(z.number().int().min(1), { description: 'Schema version of data.' }),
  source: documented(
    z.object({
      connector: documented(z.string().min(1), {
        description: 'Who produced the message: a connector, a Junction service (mapping, scheduler) or an outside system.',
      }),
      connectionId: documented(z.string().min(1), {
        description: 'The connection it was produced for; Junction services give the integration or schedule id.',
      }),
    }),
    { description: 'Who produced the message.' },
  ),
  integrationId: documented(z.string().min(1).optional(), { description: 'The integration this message belongs to.' }),
  causationId: withDescription(MessageId, 'Id of the envelope that caused this one.').optional(),
  correlationId: withDescription(
    MessageId,
    'Id of the envelope that started the whole chain (e.g. the sync.requested of a run), passed on unchanged by ' +
      'every message it leads to, so an outcome can be reported on the run it came from.',
  ).optional(),
  occurredAt: withDescription(Timestamp, 'When the change happened in the source system.'),
  data: z.unknown(),
});

/** An envelope whose `data` is `T`; trace context travels in NATS headers, never here. */
export type Envelope<T = unknown> = Omit<z.infer<typeof EnvelopeBase>, 'data'> & { data: T };

/**
 * Joins `parts` with ':' into a deterministic message id, e.g. messageId('zomentum', docId, 'won').
 * Parts may contain ':' (a sourceKey is a fine part) but never whitespace, because the id is sent as the
 * Nats-Msg-Id header, and never be empty, because 'a::b' would hide a missing value.
 */
export function messageId(...parts: (string | number)[]): string {
  if (parts.length === 0) throw new Error('messageId needs at least one part');
  const texts = parts.map((part, index) => {
    const value = String(part);
    if (typeof part === 'number' && !Number.isFinite(part)) {
      throw new Error(`messageId part ${index} is not a finite number: ${value}`);
    }
    if (value.length === 0) throw new Error(`messageId part ${index} is empty`);
    if (!NO_WHITESPACE.test(value)) throw new Error(`messageId part ${index} contains whitespace: ${JSON.stringify(value)}`);
    return value;
  });
  const id = texts.join(':');
  if (id.length > MESSAGE_ID_MAX_LENGTH) {
    throw new Error(`messageId is ${id.length} characters long; the limit is ${MESSAGE_ID_MAX_LENGTH}`);
  }
  return id;
}

/** The stable key of a source record, e.g. sourceKey('zomentum', connectionId, 'client', 123). */
export function sourceKey(connector: string, connectionId: string, entityType: string, sourceId: string | number): string {
  return messageId(connector, connectionId, entityType, sourceId);
}
