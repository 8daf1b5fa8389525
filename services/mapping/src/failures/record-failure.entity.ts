import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A command a connector gave up on (from record.failed), until a replay of it succeeds. */
@Entity({ name: 'record_failures' })
@Index('record_failures_integration_idx', ['integrationId', 'failedAt'])
@Index('record_failures_correlation_idx', ['correlationId'])
export class RecordFailureEntity {
  @PrimaryColumn('text', { name: 'command_id' })
  commandId!: string;

  @Column('text', { name: 'integration_id', nullable: true })
  integrationId!: string | null;

  @Column('text', { name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @Column('text')
  connector!: string;

  @Column('text', { name: 'connection_id' })
  connectionId!: string;

  @Column('text', { name: 'entity_type' })
  entityType!: string;

  @Column('text', { name: 'source_key' })
  sourceKey!: string;

  @Column('text')
  code!: string;

  @Column('text')
  message!: string;

  @Column('boolean')
  retryable!: boolean;

  @Column('timestamptz', { name: 'failed_at' })
  failedAt!: Date;

  /** The trace it was reported in: the record's trace. */
  @Column('text', { name: 'trace_id', nullable: true })
  traceId!: string | null;
}
