import type { ConnectorName, SyncReason, SyncRunUpdated } from '@junction/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The latest known state of a sync run, projected from sync.run.updated for the runs screen. */
@Entity({ name: 'sync_run_views' })
export class SyncRunViewEntity {
  @PrimaryColumn('text', { name: 'run_id' })
  runId!: string;

  @Column('text', { name: 'integration_id', nullable: true })
  integrationId!: string | null;

  @Column('text')
  connector!: ConnectorName;

  @Column('text', { name: 'connection_id' })
  connectionId!: string;

  @Column('text')
  stream!: string;

  @Column('text')
  state!: SyncRunUpdated['state'];

  @Column('text', { nullable: true })
  reason!: SyncReason | null;

  @Column('jsonb')
  progress!: SyncRunUpdated['progress'];

  @Column('jsonb')
  counts!: SyncRunUpdated['counts'];

  @Column('jsonb', { nullable: true })
  error!: NonNullable<SyncRunUpdated['error']> | null;

  /** The first records the run could not sync, with why; null until one failed. */
  @Column('jsonb', { name: 'failed_records', nullable: true })
  failedRecords!: NonNullable<SyncRunUpdated['failedRecords']> | null;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  /** Id of the sync.requested envelope that started the run; events pulled by the run carry it as correlationId. */
  @Column('text', { name: 'request_message_id', nullable: true })
  requestMessageId!: string | null;

  /** The trace the run ran in (its run span's); null when tracing was off. */
  @Column('text', { name: 'trace_id', nullable: true })
  traceId!: string | null;

  /** The run's own update counter; an update with a lower one arrived out of order and is dropped. */
  @Column('integer')
  revision!: number;
}
