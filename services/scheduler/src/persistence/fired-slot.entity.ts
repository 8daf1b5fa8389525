import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Envelope, SyncRequested } from '@junction/contracts';

/**
 * A slot that fired, and the outbox of its sync.requested: the row is written in the same transaction that
 * advances the schedule, and the message is published after commit until `publishedAt` is set.
 */
@Entity({ name: 'fired_slots' })
@Index('fired_slots_unpublished_idx', ['firedAt'], { where: 'published_at IS NULL' })
@Index('fired_slots_published_at_idx', ['publishedAt'])
export class FiredSlotEntity {
  @PrimaryColumn({ type: 'text', name: 'schedule_id', primaryKeyConstraintName: 'fired_slots_pkey' })
  scheduleId!: string;

  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'fired_slots_pkey' })
  slot!: Date;

  @Column({ type: 'timestamptz', name: 'fired_at' })
  firedAt!: Date;

  /** The sync.requested envelope id, also its requestId and Nats-Msg-Id. */
  @Column({ type: 'text', name: 'request_id' })
  requestId!: string;

  /** Stored whole, so a re-publish sends exactly the same message. */
  @Column({ type: 'jsonb' })
  envelope!: Envelope<SyncRequested>;

  @Column({ type: 'timestamptz', name: 'published_at', nullable: true })
  publishedAt!: Date | null;
}
