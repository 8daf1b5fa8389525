import { Column, Entity, PrimaryColumn } from 'typeorm';

// Mirrors the table created by the kit's migration (src/migrations).
@Entity({ name: 'id_map_claims' })
export class IdMapClaimEntity {
  @PrimaryColumn({ type: 'text', name: 'connection_id', primaryKeyConstraintName: 'id_map_claims_pkey' })
  connectionId!: string;

  @PrimaryColumn({ type: 'text', name: 'entity_type', primaryKeyConstraintName: 'id_map_claims_pkey' })
  entityType!: string;

  @PrimaryColumn({ type: 'text', name: 'source_key', primaryKeyConstraintName: 'id_map_claims_pkey' })
  sourceKey!: string;

  @Column({ type: 'text' })
  owner!: string;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;
}
