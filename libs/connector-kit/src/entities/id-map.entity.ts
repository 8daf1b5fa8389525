import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** 'written': we wrote the vendor record from source_key; 'pulled': we learned it while reading from the vendor. */
export type IdMapOrigin = 'written' | 'pulled';

// Mirrors the table created by the kit's migration (src/migrations); a test keeps the two identical.
@Entity({ name: 'id_map' })
@Index('id_map_external_id_idx', ['connectionId', 'entityType', 'externalId'])
@Check('id_map_origin_check', `origin IN ('written', 'pulled')`)
export class IdMapEntity {
  @PrimaryColumn({ type: 'text', name: 'connection_id', primaryKeyConstraintName: 'id_map_pkey' })
  connectionId!: string;

  @PrimaryColumn({ type: 'text', name: 'entity_type', primaryKeyConstraintName: 'id_map_pkey' })
  entityType!: string;

  @PrimaryColumn({ type: 'text', name: 'source_key', primaryKeyConstraintName: 'id_map_pkey' })
  sourceKey!: string;

  @Column({ type: 'text', name: 'external_id' })
  externalId!: string;

  @Column({ type: 'text' })
  origin!: IdMapOrigin;

  @Column({ type: 'text', nullable: true })
  fingerprint!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at', default: () => 'now()' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt!: Date;
}
