import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'rate_limits' })
export class RateLimitEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'rate_limits_pkey' })
  key!: string;

  @Column({ type: 'timestamptz', name: 'free_at' })
  freeAt!: Date;
}
