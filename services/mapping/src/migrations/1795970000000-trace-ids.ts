import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace each record link, failure and waiting record was made in (from the W3C trace context of the event that
 * reported it), so an operator can go from a vendor id to the record's trace. Null for rows made before, or when
 * tracing was off.
 */
export class TraceIds1795970000000 implements MigrationInterface {
  name = 'TraceIds1795970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const name of TABLES) {
      await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, name)} ADD COLUMN trace_id text`);
    }
    // Looked up by the vendor id on either side: the target's id, or the source id inside the source key.
    const links = schemaTable(queryRunner, 'record_links');
    await queryRunner.query(`CREATE INDEX record_links_external_id_idx ON ${links} (external_id)`);
    await queryRunner.query(`CREATE INDEX record_links_source_id_idx ON ${links} (split_part(source_key, ':', 4))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ${schemaTable(queryRunner, 'record_links_source_id_idx')}`);
    await queryRunner.query(`DROP INDEX ${schemaTable(queryRunner, 'record_links_external_id_idx')}`);
    for (const name of TABLES) {
      await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, name)} DROP COLUMN trace_id`);
    }
  }
}

const TABLES = ['record_links', 'record_failures', 'waiting_events'];
