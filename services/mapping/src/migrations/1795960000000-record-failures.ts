import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Commands a connector gave up on, for the runs screen ("why did this record fail?"). */
export class RecordFailures1795960000000 implements MigrationInterface {
  name = 'RecordFailures1795960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = schemaTable(queryRunner, 'record_failures');
    await queryRunner.query(`
      CREATE TABLE ${table} (
        -- A replayed command that fails again replaces its failure; one that succeeds removes it.
        command_id     text NOT NULL,
        integration_id text,
        -- The request that started the chain (a sync run's sync.requested): the run the failure is shown on.
        correlation_id text,
        connector      text NOT NULL,
        connection_id  text NOT NULL,
        entity_type    text NOT NULL,
        source_key     text NOT NULL,
        code           text NOT NULL,
        message        text NOT NULL,
        retryable      boolean NOT NULL,
        failed_at      timestamptz NOT NULL,
        CONSTRAINT record_failures_pkey PRIMARY KEY (command_id)
      )`);
    await queryRunner.query(`CREATE INDEX record_failures_integration_idx ON ${table} (integration_id, failed_at DESC)`);
    await queryRunner.query(`CREATE INDEX record_failures_correlation_idx ON ${table} (correlation_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'record_failures')}`);
  }
}
