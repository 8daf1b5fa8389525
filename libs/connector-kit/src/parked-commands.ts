import type { DataSource, EntityManager } from 'typeorm';
import { IdMapEntity, ParkedCommandEntity } from './entities';
import type { IdMapKey, IdMapScope } from './id-map';
import { entityTable } from './schema';
import { runSql } from './sql';

/** A command taken off its stream to wait for the record the ID map does not hold yet. */
export interface ParkCommandInput {
  /** The durable consumer that took it. */
  consumer: string;
  commandId: string;
  /** Logical subject and the envelope as delivered. */
  subject: string;
  envelope: unknown;
  /** Its Nats-Msg-Id, for the dead letter. */
  msgId?: string;
  stream: string;
  streamSeq: number;
  deliveries: number;
  /** traceparent/tracestate of the delivery that parks it. */
  traceContext: Record<string, string>;
  /** The ID map key it waits for. */
  awaited: IdMapKey;
  /** What is missing, in words a user can act on. */
  reason: string;
  /** How long it may wait before it is given up. */
  waitMs: number;
}

export interface ParkedCommand extends Omit<ParkCommandInput, 'waitMs'> {
  /** New with every parking: the dedupe id of the republish that releases it. */
  releaseId: string;
  parkedAt: Date;
  expiresAt: Date;
}

/** How many commands wait, per integration (of the envelope) and awaited entity type. */
export interface WaitingCommands {
  integrationId: string | null;
  entityType: string;
  commands: number;
  oldest: Date;
}

/** Resolves once the command is handled (republished, dead-lettered); it is then forgotten. */
export type ParkedCommandHandler = (command: ParkedCommand) => Promise<void>;

/** Source keys of one connection and entity type that the ID map has just recorded. */
export interface RecordedKeys extends IdMapScope {
  sourceKeys: readonly string[];
}

const COLUMNS = `
  p.consumer, p.command_id AS "commandId", p.subject, p.envelope, p.msg_id AS "msgId", p.stream,
  p.stream_seq::float8 AS "streamSeq", p.deliveries, p.trace_context AS "traceContext",
  json_build_object('connectionId', p.connection_id, 'entityType', p.entity_type, 'sourceKey', p.source_key) AS awaited,
  p.reason, p.release_id AS "releaseId", p.parked_at AS "parkedAt", p.expires_at AS "expiresAt"`;

// Rows taken per transaction: their handlers run while the rows stay locked against other replicas.
const BATCH = 100;

/**
 * Commands waiting for a record another command writes (a contact whose customer is not created yet). Waiting here
 * rather than in the broker's redeliveries costs a command none of its retries. Every replica may hand the same rows
 * out; row locks (`SKIP LOCKED`) give each row to one of them at a time, and a row is deleted in the transaction that
 * handed it out, once its handler resolved: a crash in between hands it out again.
 */
export class ParkedCommands {
  private readonly dataSource: DataSource;
  private readonly table: string;
  private readonly idMapTable: string;

  constructor(dataSource: DataSource) {
    this.dataSource = dataSource;
    this.table = entityTable(dataSource.manager, ParkedCommandEntity);
    this.idMapTable = entityTable(dataSource.manager, IdMapEntity);
  }

  /**
   * Parks a command until `awaited` is in the ID map. A command parked again before its row was released (a second
   * copy of it, published under a new message id) keeps one row: it waits for what it waits for now, by the first
   * parking's deadline.
   */
  async park(input: ParkCommandInput): Promise<void> {
    const { awaited } = input;
    await runSql(
      this.dataSource.manager,
      `INSERT INTO ${this.table} AS p (consumer, command_id, subject, envelope, msg_id, stream, stream_seq, deliveries,
         trace_context, connection_id, entity_type, source_key, reason, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13,
         now() + $14::float8 * interval '1 millisecond')
       ON CONFLICT (consumer, command_id) DO UPDATE
         SET subject = EXCLUDED.subject, envelope = EXCLUDED.envelope, msg_id = EXCLUDED.msg_id,
             stream = EXCLUDED.stream, stream_seq = EXCLUDED.stream_seq, deliveries = EXCLUDED.deliveries,
             trace_context = EXCLUDED.trace_context, connection_id = EXCLUDED.connection_id,
             entity_type = EXCLUDED.entity_type, source_key = EXCLUDED.source_key, reason = EXCLUDED.reason,
             -- A republish under the old id could be dropped as a duplicate of the last release.
             release_id = gen_random_uuid()`,
      [
        input.consumer,
        input.commandId,
        input.subject,
        JSON.stringify(input.envelope),
        input.msgId ?? null,
        input.stream,
        input.streamSeq,
        input.deliveries,
        JSON.stringify(input.traceContext),
        awaited.connectionId,
        awaited.entityType,
        awaited.sourceKey,
        input.reason,
        input.waitMs,
      ],
    );
  }

  /**
   * Hands every parked command whose awaited record the ID map now holds to `release` (with `awaited`: only those
   * waiting for one of those keys). Resolves with how many were released.
   */
  releaseMapped(release: ParkedCommandHandler, awaited?: RecordedKeys): Promise<number> {
    const mapped = `EXISTS (SELECT 1 FROM ${this.idMapTable} m
      WHERE m.connection_id = p.connection_id AND m.entity_type = p.entity_type AND m.source_key = p.source_key)`;
    if (!awaited) return this.drain(mapped, [], release);
    return this.drain(`${AWAITING_ONE_OF} AND ${mapped}`, awaitedParams(awaited), release);
  }

  /** Hands every parked command whose deadline passed to `expire`. Resolves with how many there were. */
  expire(expire: ParkedCommandHandler): Promise<number> {
    return this.drain('p.expires_at <= statement_timestamp()', [], expire);
  }

  /** Whether any command waits for one of these keys; cheap enough to ask after every ID map write. */
  async awaits(awaited: RecordedKeys): Promise<boolean> {
    const { rows } = await runSql(
      this.dataSource.manager,
      `SELECT 1 FROM ${this.table} p WHERE ${AWAITING_ONE_OF} LIMIT 1`,
      awaitedParams(awaited),
    );
    return rows.length > 0;
  }

  /** What waits, per integration and awaited entity type (the waiting-records metric). */
  async waiting(): Promise<WaitingCommands[]> {
    const { rows } = await runSql<WaitingCommands>(
      this.dataSource.manager,
      `SELECT envelope->>'integrationId' AS "integrationId", entity_type AS "entityType",
              count(*)::int AS commands, min(parked_at) AS oldest
       FROM ${this.table} GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return rows;
  }

  /** Takes matching rows in batches until none is left or a handler failed; failed rows stay parked. */
  private async drain(where: string, params: unknown[], handle: ParkedCommandHandler): Promise<number> {
    let handled = 0;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.handleBatch(manager, where, params, handle));
      handled += batch.handled;
      if (batch.failure) throw batch.failure;
      if (batch.taken < BATCH) return handled;
    }
  }

  private async handleBatch(
    manager: EntityManager,
    where: string,
    params: unknown[],
    handle: ParkedCommandHandler,
  ): Promise<{ taken: number; handled: number; failure?: unknown }> {
    const { rows } = await runSql<ParkedCommand>(
      manager,
      `SELECT ${COLUMNS} FROM ${this.table} p WHERE ${where}
       ORDER BY p.parked_at LIMIT ${BATCH} FOR UPDATE OF p SKIP LOCKED`,
      params,
    );
    const outcomes = await Promise.allSettled(rows.map((row) => handle(row)));
    const done = rows.filter((_, index) => outcomes[index].status === 'fulfilled');
    if (done.length > 0) {
      await runSql(
        manager,
        `DELETE FROM ${this.table} WHERE (consumer, command_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [done.map((row) => row.consumer), done.map((row) => row.commandId)],
      );
    }
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    return { taken: rows.length, handled: done.length, failure: failure?.reason };
  }
}

const AWAITING_ONE_OF = 'p.connection_id = $1 AND p.entity_type = $2 AND p.source_key = ANY($3::text[])';

function awaitedParams(awaited: RecordedKeys): unknown[] {
  return [awaited.connectionId, awaited.entityType, [...awaited.sourceKeys]];
}
