import { Column, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

// Mirrors the table created by the kit's migration (src/migrations); a test keeps the two identical.
@Entity({ name: 'parked_commands' })
@Index('parked_commands_awaited_idx', ['connectionId', 'entityType', 'sourceKey'])
@Index('parked_commands_expires_at_idx', ['expiresAt'])
export class ParkedCommandEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'parked_commands_pkey' })
  consumer!: string;

  @PrimaryColumn({ type: 'text', name: 'command_id', primaryKeyConstraintName: 'parked_commands_pkey' })
  commandId!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'jsonb' })
  envelope!: unknown;

  @Column({ type: 'text', name: 'msg_id', nullable: true })
  msgId!: string | null;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ type: 'bigint', name: 'stream_seq' })
  streamSeq!: string;

  @Column({ type: 'integer' })
  deliveries!: number;

  @Column({ type: 'jsonb', name: 'trace_context' })
  traceContext!: Record<string, string>;

  @Column({ type: 'text', name: 'connection_id' })
  connectionId!: string;

  @Column({ type: 'text', name: 'entity_type' })
  entityType!: string;

  @Column({ type: 'text', name: 'source_key' })
  sourceKey!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'uuid', name: 'release_id' })
  @Generated('uuid')
  releaseId!: string;

  @Column({ type: 'timestamptz', name: 'parked_at', default: () => 'now()' })
  parkedAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;
}
