import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'connections' })
@Index('connections_connector_idx', ['connector'])
@Index('connections_account_key_idx', ['connector', 'accountKey'], { unique: true, where: 'account_key IS NOT NULL' })
@Check('connections_settings_object_check', `jsonb_typeof(settings) = 'object'`)
export class ConnectionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'connections_pkey' })
  id!: string;

  @Column({ type: 'text' })
  connector!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Column({ type: 'text', name: 'sealed_credentials', nullable: true })
  sealedCredentials!: string | null;

  @Column({ type: 'text', name: 'account_key', nullable: true })
  accountKey!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
