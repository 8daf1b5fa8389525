import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trace each sync run ran in (its run span's), so the console can link a run to its own trace. */
export class RunTraceIds1796200000000 implements MigrationInterface {
  name = 'RunTraceIds1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'sync_run_views')} ADD COLUMN trace_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'sync_run_views')} DROP COLUMN trace_id`);
  }
}
