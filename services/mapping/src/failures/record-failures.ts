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
   * A statement that forgets the failure of a command that was written after all (its replay succeeded), for the
   * statement that records the written record's link to run as well (no trailing semicolon; its one parameter is
   * number `paramOffset` + 1): it runs for every written record.
   */
  clearStatement(commandId: string, paramOffset: number): { sql: string; params: unknown[] } {
    return { sql: `DELETE FROM ${entityTable(this.manager, RecordFailureEntity)} WHERE command_id = $${paramOffset + 1}`, params: [commandId] };
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
