import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events an integration cannot route until its settings change, and which request a run was started by. */
export class WaitingEvents1795950000000 implements MigrationInterface {
  name = 'WaitingEvents1795950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = (name: string) => schemaTable(queryRunner, name);
    await queryRunner.query(`
      CREATE TABLE ${table('waiting_events')} (
        integration_id uuid NOT NULL,
        event_id       text NOT NULL,
        subject        text NOT NULL,
        envelope       jsonb NOT NULL,
        -- The sync.requested the event was pulled for: the run it is reported on.
        correlation_id   text,
        reason         text NOT NULL,
        since          timestamptz NOT NULL DEFAULT now(),
        -- An event waits once per integration; a redelivery finds it waiting already.
        CONSTRAINT waiting_events_pkey PRIMARY KEY (integration_id, event_id),
        CONSTRAINT waiting_events_integration_fkey FOREIGN KEY (integration_id)
          REFERENCES ${table('integrations')} (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX waiting_events_correlation_idx ON ${table('waiting_events')} (correlation_id)`);
    // The run's own sync.run.updated names the request that started it; pulled events name the same one.
    await queryRunner.query(`ALTER TABLE ${table('sync_run_views')} ADD COLUMN request_message_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'sync_run_views')} DROP COLUMN request_message_id`);
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'waiting_events')}`);
  }
}
