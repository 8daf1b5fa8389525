import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SyncRunEntity } from './sync-run.entity';

export type RecordOutcome = 'created' | 'updated' | 'skipped' | 'failed';

@Entity({ name: 'sync_run_records' })
@Index('sync_run_records_run_outcome_idx', ['runId', 'outcome'])
@Check('sync_run_records_outcome_check', `outcome IN ('created', 'updated', 'skipped', 'failed')`)
@Check('sync_run_records_failed_error_check', `outcome <> 'failed' OR error IS NOT NULL`)
export class SyncRunRecordEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'sync_run_records_pkey',
  })
  id!: string;

  @Column({ type: 'uuid', name: 'run_id' })
  runId!: string;

  @ManyToOne(() => SyncRunEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'run_id', foreignKeyConstraintName: 'sync_run_records_run_id_fkey' })
  run?: SyncRunEntity;

  @Column({ type: 'text', name: 'entity_type' })
  entityType!: string;

  @Column({ type: 'text', name: 'record_key' })
  recordKey!: string;

  @Column({ type: 'text' })
  outcome!: RecordOutcome;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
