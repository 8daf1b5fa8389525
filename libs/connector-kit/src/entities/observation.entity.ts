import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'observations' })
export class ObservationEntity {
  @PrimaryColumn({ type: 'text', name: 'connection_id', primaryKeyConstraintName: 'observations_pkey' })
  connectionId!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'observations_pkey' })
  kind!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'observations_pkey' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
