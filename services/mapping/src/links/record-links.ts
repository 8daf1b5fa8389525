import { quoteIdent, schemaOf } from '@junction/connector-kit';
import type { RecordWritten } from '@junction/contracts';
import type { EntityManager } from 'typeorm';
import { RecordLinkEntity } from './record-link.entity';

/** A vendor record a connector wrote, as its record.written names it: what a waiting event may wait to be linked. */
export interface LinkedRecord {
  connector: string;
  connectionId: string;
  externalId: string;
}

/** The record as one text, e.g. `retailcrm:<connection>:312` (waiting_events.awaited_link). */
export function linkKeyOf(record: LinkedRecord): string {
  return `${record.connector}:${record.connectionId}:${record.externalId}`;
}

/**
 * Links between source records and the vendor records connectors wrote for them. Recording a link and finding none
 * take the record's lock (the recording for its one statement, the finding until its transaction ends), so an event
 * that found no link and waits for it is parked before the link is committed, and a look for waiting events after the
 * recording finds it parked: never both miss each other.
 */
export class RecordLinks {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Records the link in one statement, under the record's lock: what waits for it is parked by then, so look for it
   * after this returns (WaitingEvents.awaits). `traceId`: the trace record.written came in, the source record's.
   * `alongsideOf` gives a statement, its parameters numbered after the link's eight, that runs in the same round trip.
   */
  async record(
    written: RecordWritten,
    at: Date,
    traceId?: string,
    alongsideOf?: (paramOffset: number) => { sql: string; params: unknown[] },
  ): Promise<void> {
    const table = `${quoteIdent(schemaOf(this.manager.connection))}.${quoteIdent('record_links')}`;
    const alongside = alongsideOf?.(8);
    await this.manager.query(
      `${alongside ? `WITH alongside AS (${alongside.sql}) ` : ''}INSERT INTO ${table} (connector, connection_id, source_key, entity_type, external_id, updated_at, trace_id)
         SELECT $1, $2, $3, $4, $5, $6, $7 FROM (SELECT pg_advisory_xact_lock(hashtextextended($8, 0))) AS locked
       ON CONFLICT (connector, connection_id, source_key) DO UPDATE
         SET entity_type = EXCLUDED.entity_type, external_id = EXCLUDED.external_id,
             updated_at = EXCLUDED.updated_at, trace_id = EXCLUDED.trace_id`,
      [
        written.connector,
        written.connectionId,
        written.sourceKey,
        written.entityType,
        written.externalId,
        at,
        traceId ?? null,
        this.lockName(written),
        ...(alongside?.params ?? []),
      ],
    );
  }

  /** Whether the connector wrote a record for this source record with this connection (record.written). */
  async isWritten(connector: string, connectionId: string, sourceKey: string): Promise<boolean> {
    return this.manager.exists(RecordLinkEntity, { where: { connector, connectionId, sourceKey } });
  }

  /**
   * The keys of the source records a connector's record was written for, newest first; none when it was not written
   * by Junction, or its record.written has not come yet. "None" is read again under the record's lock, which stays
   * held until the transaction ends: park what waits for the link in that transaction.
   */
  async sourceKeysOf(record: LinkedRecord): Promise<string[]> {
    const found = await this.findSourceKeys(record);
    if (found.length > 0) return found;
    await this.lock(record);
    return this.findSourceKeys(record);
  }

  private async findSourceKeys({ connector, connectionId, externalId }: LinkedRecord): Promise<string[]> {
    const links = await this.manager.find(RecordLinkEntity, {
      select: { sourceKey: true },
      where: { connector, connectionId, externalId },
      order: { updatedAt: 'DESC' },
    });
    return links.map((link) => link.sourceKey);
  }

  private async lock(record: LinkedRecord): Promise<void> {
    await this.manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockName(record)]);
  }

  private lockName(record: LinkedRecord): string {
    return `${schemaOf(this.manager.connection)}:record-link:${linkKeyOf(record)}`;
  }
}
