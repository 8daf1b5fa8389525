import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An event an integration's rules could not route yet (e.g. an order in an unmapped status); replanned on save, and
 * when the link it awaits is recorded.
 */
@Entity({ name: 'waiting_events' })
@Index('waiting_events_correlation_idx', ['correlationId'])
@Index('waiting_events_awaited_link_idx', ['awaitedLink'], { where: 'awaited_link IS NOT NULL' })
export class WaitingEventEntity {
  @PrimaryColumn('uuid', { name: 'integration_id' })
  integrationId!: string;

  @PrimaryColumn('text', { name: 'event_id' })
  eventId!: string;

  @Column('text')
  subject!: string;

  @Column('jsonb')
  envelope!: Record<string, unknown>;

  @Column('text', { name: 'correlation_id', nullable: true })
  correlationId!: string | null;

  @Column('text')
  reason!: string;

  @Column('timestamptz', { default: () => 'now()' })
  since!: Date;

  /** The record whose link the event waits for (linkKeyOf); null for an event that waits for the settings only. */
  @Column('text', { name: 'awaited_link', nullable: true })
  awaitedLink!: string | null;

  /** The trace it was reported in: the record's trace. */
  @Column('text', { name: 'trace_id', nullable: true })
  traceId!: string | null;
}
