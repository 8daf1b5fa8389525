import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'inbox' })
@Index('inbox_processed_at_idx', ['processedAt'])
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'inbox_pkey' })
  consumer!: string;

  @PrimaryColumn({ type: 'text', name: 'message_id', primaryKeyConstraintName: 'inbox_pkey' })
  messageId!: string;

  @Column({ type: 'timestamptz', name: 'processed_at', default: () => 'now()' })
  processedAt!: Date;
}
