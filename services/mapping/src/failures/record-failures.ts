import type { Envelope, RecordFailed } from '@junction/contracts';
import type { DataSource } from 'typeorm';
import { RecordFailureEntity } from './record-failure.entity';

/** The record_failures projection: what connectors gave up on, per integration and per run. */
export class RecordFailures {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores the failure; a newer failure of the same command (a failed replay) replaces it. */
  async failed(event: Envelope<RecordFailed>, traceId?: string): Promise<void> {
    const { data } = event;
    await this.dataSource.manager.upsert(
      RecordFailureEntity,
      {
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
      },
      ['commandId'],
    );
  }

  /** A command that was written after all (its replay succeeded) no longer counts as failed. */
  async written(commandId: string): Promise<void> {
    await this.dataSource.manager.delete(RecordFailureEntity, { commandId });
  }

  /** The integration's failures, newest first. */
  of(integrationId: string, limit: number): Promise<RecordFailureEntity[]> {
    return this.dataSource.manager.find(RecordFailureEntity, {
      where: { integrationId },
      order: { failedAt: 'DESC', commandId: 'ASC' },
      take: limit,
    });
  }
}
