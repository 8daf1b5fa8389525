import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The record whose link a waiting event waits for: recording that link releases it (and only what waits for it). */
export class LinkWaits1796400000000 implements MigrationInterface {
  name = 'LinkWaits1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = schemaTable(queryRunner, 'waiting_events');
    await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN awaited_link text`);
    // Every record.written looks here: only the few events that wait for a link are indexed.
    await queryRunner.query(`CREATE INDEX waiting_events_awaited_link_idx ON ${table} (awaited_link) WHERE awaited_link IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'waiting_events')} DROP COLUMN awaited_link`);
  }
}
