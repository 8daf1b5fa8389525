import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/**
 * A pair of connections plus the user's rules. `source` and `target` are the kind's first and second
 * connector (zomentum and repairshopr for 'zomentum-repairshopr'); data may flow both ways between them.
 */
@Entity({ name: 'integrations' })
export class IntegrationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  kind!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'source_connection_id' })
  sourceConnectionId!: string;

  @Column('text', { name: 'target_connection_id' })
  targetConnectionId!: string;

  @Column('jsonb')
  settings!: Record<string, unknown>;

  @Column('boolean')
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** Bumped on every save; consumers of config.schedule.updated keep the highest one. */
  @VersionColumn()
  revision!: number;
}
