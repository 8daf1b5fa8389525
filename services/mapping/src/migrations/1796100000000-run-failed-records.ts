import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The records a run read but could not sync (the first few, with why), as its sync.run.updated names them. */
export class RunFailedRecords1796100000000 implements MigrationInterface {
  name = 'RunFailedRecords1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'sync_run_views')} ADD COLUMN failed_records jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'sync_run_views')} DROP COLUMN failed_records`);
  }
}
