import { entityTable } from '@junction/connector-kit';
import type { Envelope, RecordFailed } from '@junction/contracts';
import type { EntityManager } from 'typeorm';
import { RecordFailureEntity } from './record-failure.entity';

/**
 * The record_failures projection: what connectors gave up on (record.failed), and the events mapping gave up waiting
 * for (LinkWaitExpiry), per integration and per run.
 */
export class RecordFailures {
  constructor(private readonly manager: EntityManager) {}

  /** Stores the failure; a newer failure of the same command (a failed replay) replaces it. */
  async failed(event: Envelope<RecordFailed>, traceId?: string): Promise<void> {
    const { data } = event;
    await this.store({
      commandId: data.commandId,
      integrationId: event.integrationId ?? null,
      correlationId: event.correlationId ?? null,
      connector: data.connector,
      connectionId: data.connectionId,
      entityType: data.entityType,
      sourceKey: data.sourceKey,
      code: data.error.code,
      message: data.error.message,
      retryable: data.error.retryable,
      failedAt: new Date(event.occurredAt),
      traceId: traceId ?? null,
    });
  }

  /** Stores a failure by its command id (replacing one stored with it). */
  async store(failure: RecordFailureEntity): Promise<void> {
    await this.manager.upsert(RecordFailureEntity, failure, ['commandId']);
  }

  /**
   * A command that was written after all (its replay succeeded) no longer counts as failed. Runs for every written
   * record, so it is plain SQL: TypeORM's query builder cost more than the statement.
   */
  async written(commandId: string): Promise<void> {
    await this.manager.query(`DELETE FROM ${entityTable(this.manager, RecordFailureEntity)} WHERE command_id = $1`, [commandId]);
  }

  /** The integration's failures, newest first. */
  of(integrationId: string, limit: number): Promise<RecordFailureEntity[]> {
    return this.manager.find(RecordFailureEntity, {
      where: { integrationId },
      order: { failedAt: 'DESC', commandId: 'ASC' },
      take: limit,
    });
  }
}
