import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaTable } from '../schema';

/** The schedules of vendor allowances that every replica of the service books its requests from. */
export class RateLimits1796000000000 implements MigrationInterface {
  name = 'RateLimits1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${schemaTable(queryRunner, 'rate_limits')} (
        -- The credential (the vendor client's rate-limit key: a hash or an id, never a secret).
        key     text NOT NULL,
        -- When the credential's schedule is next free (the "theoretical arrival time" of the generic cell rate
        -- algorithm), on the database's clock so replicas on hosts with different clocks agree.
        free_at timestamptz NOT NULL,
        CONSTRAINT rate_limits_pkey PRIMARY KEY (key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'rate_limits')}`);
  }
}
