import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaTable } from '../schema';

/** The kit's tables in the service's own schema. Entities in src/entities mirror them. */
export class ConnectorKitInitial1795478400000 implements MigrationInterface {
  name = 'ConnectorKitInitial1795478400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = (name: string) => schemaTable(queryRunner, name);

    await queryRunner.query(`
      CREATE TABLE ${table('id_map')} (
        connection_id text NOT NULL,
        entity_type   text NOT NULL,
        source_key    text NOT NULL,
        external_id   text NOT NULL,
        -- 'written' marks vendor records we wrote, so a later pull can recognise them and not echo them back.
        origin        text NOT NULL CONSTRAINT id_map_origin_check CHECK (origin IN ('written', 'pulled')),
        fingerprint   text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        -- One vendor record per source record and connection: every vendor write looks this key up first.
        CONSTRAINT id_map_pkey PRIMARY KEY (connection_id, entity_type, source_key)
      )`);
    // Reverse lookup for pulls and webhooks. Not unique: a natural-key match may link several source
    // records to one vendor record (two customers with the same e-mail).
    await queryRunner.query(`
      CREATE INDEX id_map_external_id_idx ON ${table('id_map')} (connection_id, entity_type, external_id)`);

    await queryRunner.query(`
      CREATE TABLE ${table('cursors')} (
        connection_id text NOT NULL,
        stream        text NOT NULL,
        value         jsonb NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        -- One position per stream of a connection; moving it is an upsert.
        CONSTRAINT cursors_pkey PRIMARY KEY (connection_id, stream)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${table('inbox')} (
        consumer     text NOT NULL,
        message_id   text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        -- Inserting this key claims the message: a redelivery or replay conflicts and does no work.
        CONSTRAINT inbox_pkey PRIMARY KEY (consumer, message_id)
      )`);
    // prune() deletes by age.
    await queryRunner.query(`CREATE INDEX inbox_processed_at_idx ON ${table('inbox')} (processed_at)`);

    await queryRunner.query(`
      CREATE TABLE ${table('sync_runs')} (
        id               uuid NOT NULL DEFAULT gen_random_uuid(),
        connection_id    text NOT NULL,
        stream           text NOT NULL,
        integration_id   text,
        request_id       text,
        reason           text NOT NULL,
        state            text NOT NULL
          CONSTRAINT sync_runs_state_check CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
        started_at       timestamptz NOT NULL DEFAULT now(),
        finished_at      timestamptz,
        lease_owner      text NOT NULL,
        lease_expires_at timestamptz NOT NULL,
        progress_done    integer NOT NULL DEFAULT 0,
        progress_total   integer,
        created_count    integer NOT NULL DEFAULT 0,
        updated_count    integer NOT NULL DEFAULT 0,
        skipped_count    integer NOT NULL DEFAULT 0,
        failed_count     integer NOT NULL DEFAULT 0,
        error            text,
        -- Bumped on every visible change so consumers of sync.run.updated can drop stale updates.
        revision         integer NOT NULL DEFAULT 1,
        CONSTRAINT sync_runs_pkey PRIMARY KEY (id),
        -- A run is finished exactly when it has a finish time, so no query has to reconcile the two.
        CONSTRAINT sync_runs_finished_check CHECK ((state = 'running') = (finished_at IS NULL))
      )`);
    // Single flight: at most one running run per connection and stream, guaranteed by the database even
    // when two scheduler replicas or two redeliveries of sync.requested start the same sync at once.
    // Partial, so finished runs stay out of it and history can grow without bound. A holder that dies
    // keeps its row 'running' only until its lease expires; the next start marks it failed.
    await queryRunner.query(`
      CREATE UNIQUE INDEX sync_runs_one_running_idx ON ${table('sync_runs')} (connection_id, stream)
        WHERE state = 'running'`);
    // A redelivered sync.requested must find the run its first delivery started instead of starting
    // another. Per stream, because one request may start several streams of a connection.
    await queryRunner.query(`
      CREATE UNIQUE INDEX sync_runs_request_idx ON ${table('sync_runs')} (connection_id, stream, request_id)
        WHERE request_id IS NOT NULL`);
    // Run history per stream (list, lastFinished) and across streams, newest first.
    await queryRunner.query(`
      CREATE INDEX sync_runs_history_idx ON ${table('sync_runs')} (connection_id, stream, started_at DESC)`);
    await queryRunner.query(`CREATE INDEX sync_runs_started_at_idx ON ${table('sync_runs')} (started_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE ${table('sync_run_records')} (
        id          bigint GENERATED ALWAYS AS IDENTITY,
        run_id      uuid NOT NULL,
        entity_type text NOT NULL,
        record_key  text NOT NULL,
        outcome     text NOT NULL
          CONSTRAINT sync_run_records_outcome_check CHECK (outcome IN ('created', 'updated', 'skipped', 'failed')),
        error       text,
        at          timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT sync_run_records_pkey PRIMARY KEY (id),
        -- Outcomes exist to answer "why did this record fail?", so a failure always says why.
        CONSTRAINT sync_run_records_failed_error_check CHECK (outcome <> 'failed' OR error IS NOT NULL),
        -- Outcomes belong to their run: pruning run history removes them too.
        CONSTRAINT sync_run_records_run_id_fkey FOREIGN KEY (run_id)
          REFERENCES ${table('sync_runs')} (id) ON DELETE CASCADE
      )`);
    // recordsOf(run, { outcome }); also serves the foreign key on delete.
    await queryRunner.query(`
      CREATE INDEX sync_run_records_run_outcome_idx ON ${table('sync_run_records')} (run_id, outcome)`);

    await queryRunner.query(`
      CREATE TABLE ${table('connections')} (
        id                 uuid NOT NULL DEFAULT gen_random_uuid(),
        connector          text NOT NULL,
        name               text NOT NULL,
        settings           jsonb NOT NULL
          CONSTRAINT connections_settings_object_check CHECK (jsonb_typeof(settings) = 'object'),
        -- Never plaintext: sealed by the service's cipher with the row id as associated data, so a
        -- sealed value copied onto another connection does not open.
        sealed_credentials text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT connections_pkey PRIMARY KEY (id)
      )`);
    await queryRunner.query(`CREATE INDEX connections_connector_idx ON ${table('connections')} (connector)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['connections', 'sync_run_records', 'sync_runs', 'inbox', 'cursors', 'id_map']) {
      await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, name)}`);
    }
  }
}
