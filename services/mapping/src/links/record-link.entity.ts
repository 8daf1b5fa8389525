import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Which vendor record a connector wrote for a source record (from record.written). A status change made in
 * RetailCRM names RetailCRM's order; this link leads back to the ZZap order it was created from.
 */
@Entity({ name: 'record_links' })
export class RecordLinkEntity {
  @PrimaryColumn('text')
  connector!: string;

  @PrimaryColumn('text', { name: 'connection_id' })
  connectionId!: string;

  @PrimaryColumn('text', { name: 'source_key' })
  sourceKey!: string;

  @Column('text', { name: 'entity_type' })
  entityType!: string;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** The trace it was reported in: the record's trace. */
  @Column('text', { name: 'trace_id', nullable: true })
  traceId!: string | null;
}
