import { createHash } from 'node:crypto';
import type { Observation } from '@junction/connector-kit';
import type { ConnectorContext, EventData, PulledRecord } from './definition';

// Which pulled records are new, which changed and which are as Junction last saw or wrote them. Kept in
// ctx.observations per vendor record (keyed by its id), three kinds per entity:
// - `<entity>_fields`: `<revision>:<fingerprint>` of the record as the last pull saw it or Junction last wrote it;
// - `<entity>_created_fields`: the fingerprint of a record as a command created it (before any pull saw it);
// - `<entity>_written`: the fields (in vendor terms, JSON) a command last wrote, to send only what changed next time.

export type SyncedEntity = 'customer' | 'contact' | 'product';

type Canonical = EventData<`${SyncedEntity}.created`>;

/** All this module needs of a stream's or command's context. */
type Observing = Pick<ConnectorContext<unknown, unknown>, 'observations'>;

const UPDATED = { customer: 'customer.updated', contact: 'contact.updated', product: 'product.updated' } as const;

const kinds = (entity: SyncedEntity) => ({
  fields: `${entity}_fields`,
  created: `${entity}_created_fields`,
  written: `${entity}_written`,
});

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** JSON with object keys sorted, so equal values always serialise alike. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * A hash of the fields a sync carries. Timestamps are left out: vendors move `updated_at` on edits of fields Junction
 * does not sync, and those are no change worth an event.
 */
export function fingerprint(data: Canonical): string {
  const { createdAt: _created, updatedAt: _updated, ...synced } = data;
  return createHash('sha256').update(stableJson(synced)).digest('hex').slice(0, 24);
}

interface Seen {
  revision: number;
  fingerprint: string;
}

function parseSeen(value: string | undefined): Seen | undefined {
  if (value === undefined) return undefined;
  const [revision, hash] = value.split(':');
  return { revision: Number(revision), fingerprint: hash };
}

const seenValue = (seen: Seen) => `${seen.revision}:${seen.fingerprint}`;

/** A vendor record as a stream read it. */
export interface ReadRecord {
  key: string;
  data: Canonical;
  /** When the record was created at the vendor: the creation event's time. */
  createdAt: string;
  /** When it last changed: an update event's time. */
  changedAt: string;
  /** Announced as created before the stream kept observations: never a creation again, only its later changes count. */
  announced?: boolean;
}

export interface DetectedChanges {
  records: PulledRecord[];
  /** Every record's fingerprint, stored by the runtime once the page's events are durable. */
  observations: Observation[];
}

/** What the connection knows of a page's records: their `_fields` and `_created_fields` observations. */
export interface KnownRecords {
  seen: Map<string, string>;
  createdAs: Map<string, string>;
}

/**
 * Compares records with what the connection last saw of them: a record never seen is a creation (the stream's own
 * subject, no change key); a seen record whose synced fields changed becomes `<entity>.updated` with change key
 * `<revision>-<fingerprint>`, the revision counting the record's changes, so a value changed back and forth gets a new
 * event id each time while a re-read page repeats the same one. Unchanged records yield nothing.
 */
export function classifyChanges(entity: SyncedEntity, rows: readonly ReadRecord[], known: KnownRecords): DetectedChanges {
  const kind = kinds(entity).fields;
  const records: PulledRecord[] = [];
  const observations: Observation[] = [];
  for (const row of rows) {
    const current = fingerprint(row.data);
    // A record Junction created and no pull saw yet: if it differs from what was created, someone changed it since.
    const created = known.seen.has(row.key) ? undefined : known.createdAs.get(row.key);
    const previous = parseSeen(known.seen.get(row.key)) ?? (created === undefined ? undefined : { revision: 0, fingerprint: created });
    if (previous === undefined) {
      observations.push({ kind, key: row.key, value: seenValue({ revision: 0, fingerprint: current }) });
      if (!row.announced) records.push({ key: row.key, data: row.data, occurredAt: row.createdAt });
    } else if (previous.fingerprint !== current) {
      const revision = previous.revision + 1;
      observations.push({ kind, key: row.key, value: seenValue({ revision, fingerprint: current }) });
      records.push({
        key: row.key,
        data: row.data,
        occurredAt: row.changedAt,
        changeKey: `${revision}-${current}`,
        subject: UPDATED[entity],
      });
    } else if (created !== undefined) {
      // Unchanged since Junction created it: a creation, which the runtime skips as Junction's own write.
      observations.push({ kind, key: row.key, value: seenValue(previous) });
      records.push({ key: row.key, data: row.data, occurredAt: row.createdAt });
    }
  }
  return { records, observations };
}

/** classifyChanges against the connection's observations. */
export async function detectChanges(ctx: Observing, entity: SyncedEntity, rows: readonly ReadRecord[]): Promise<DetectedChanges> {
  const kind = kinds(entity);
  const keys = rows.map((row) => row.key);
  const seen = await ctx.observations.getMany(kind.fields, keys);
  const createdAs = await ctx.observations.getMany(kind.created, keys.filter((key) => !seen.has(key)));
  return classifyChanges(entity, rows, { seen, createdAs });
}

/** The fields a command writes, in vendor terms: `null` clears a field, a missing key is not synced. */
export type WrittenFields = Record<string, Json | undefined>;

function present(fields: WrittenFields): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, Json] => entry[1] !== undefined && entry[1] !== null),
  );
}

/**
 * What to send: the fields that differ from what Junction wrote last. Without a record of that (the record was found
 * by its natural key, or created before updates were synced) every field that has a value, clearing nothing.
 */
export function changedFields(previous: WrittenFields | undefined, desired: WrittenFields): Record<string, Json> {
  if (previous === undefined) return present(desired);
  return Object.fromEntries(
    Object.entries(desired).filter(
      (entry): entry is [string, Json] => entry[1] !== undefined && stableJson(entry[1]) !== stableJson(previous[entry[0]] ?? null),
    ),
  );
}

/** Records what a command created, so a change made before the first pull is still told from Junction's own write. */
export async function observeCreated(
  ctx: Observing,
  entity: SyncedEntity,
  externalId: string,
  data: Canonical,
  written: WrittenFields,
): Promise<void> {
  const kind = kinds(entity);
  await ctx.observations.setMany([
    { kind: kind.created, key: externalId, value: fingerprint(data) },
    { kind: kind.written, key: externalId, value: stableJson(written) },
  ]);
}

/**
 * Writes the fields of an existing record that changed since Junction last wrote it, and records the result as what
 * the pull last saw: the next pull finds the record unchanged and does not send Junction's own update back.
 * `write` sends the changes and answers the record as the vendor now holds it, in canonical form.
 */
export async function updateChanged(
  ctx: Observing,
  entity: SyncedEntity,
  externalId: string,
  desired: WrittenFields,
  write: (changes: Record<string, Json>) => Promise<Canonical>,
): Promise<'updated' | 'unchanged'> {
  const kind = kinds(entity);
  const lastWritten = await ctx.observations.get(kind.written, externalId);
  const changes = changedFields(lastWritten === undefined ? undefined : (JSON.parse(lastWritten) as WrittenFields), desired);
  if (Object.keys(changes).length === 0) return 'unchanged';
  const now = await write(changes);
  const seen = parseSeen(await ctx.observations.get(kind.fields, externalId));
  await ctx.observations.setMany([
    { kind: kind.fields, key: externalId, value: seenValue({ revision: seen?.revision ?? 0, fingerprint: fingerprint(now) }) },
    { kind: kind.written, key: externalId, value: stableJson(desired) },
  ]);
  return 'updated';
}
