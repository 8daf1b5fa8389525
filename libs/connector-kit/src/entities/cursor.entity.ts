import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'cursors' })
export class CursorEntity {
  @PrimaryColumn({ type: 'text', name: 'connection_id', primaryKeyConstraintName: 'cursors_pkey' })
  connectionId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'cursors_pkey' })
  stream!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
