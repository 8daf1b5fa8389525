import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SyncRunState = 'running' | 'succeeded' | 'failed' | 'cancelled';

@Entity({ name: 'sync_runs' })
@Index('sync_runs_one_running_idx', ['connectionId', 'stream'], { unique: true, where: `state = 'running'` })
@Index('sync_runs_request_idx', ['connectionId', 'stream', 'requestId'], {
  unique: true,
  where: 'request_id IS NOT NULL',
})
@Index('sync_runs_history_idx', ['connectionId', 'stream', 'startedAt'])
@Index('sync_runs_started_at_idx', ['startedAt'])
@Check('sync_runs_state_check', `state IN ('running', 'succeeded', 'failed', 'cancelled')`)
@Check('sync_runs_finished_check', `(state = 'running') = (finished_at IS NULL)`)
export class SyncRunEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'sync_runs_pkey' })
  id!: string;

  @Column({ type: 'text', name: 'connection_id' })
  connectionId!: string;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ type: 'text', name: 'integration_id', nullable: true })
  integrationId!: string | null;

  @Column({ type: 'text', name: 'request_id', nullable: true })
  requestId!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  state!: SyncRunState;

  @Column({ type: 'timestamptz', name: 'started_at', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', name: 'lease_owner' })
  leaseOwner!: string;

  @Column({ type: 'timestamptz', name: 'lease_expires_at' })
  leaseExpiresAt!: Date;

  @Column({ type: 'integer', name: 'progress_done', default: 0 })
  progressDone!: number;

  @Column({ type: 'integer', name: 'progress_total', nullable: true })
  progressTotal!: number | null;

  @Column({ type: 'integer', name: 'created_count', default: 0 })
  createdCount!: number;

  @Column({ type: 'integer', name: 'updated_count', default: 0 })
  updatedCount!: number;

  @Column({ type: 'integer', name: 'skipped_count', default: 0 })
  skippedCount!: number;

  @Column({ type: 'integer', name: 'failed_count', default: 0 })
  failedCount!: number;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'integer', default: 1 })
  revision!: number;
}
