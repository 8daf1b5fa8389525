import { schemaTable } from '@junction/connector-kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The mapping service's tables. Entities in src mirror them. */
export class MappingInitial1795500000000 implements MigrationInterface {
  name = 'MappingInitial1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = (name: string) => schemaTable(queryRunner, name);

    await queryRunner.query(`
      CREATE TABLE ${table('integrations')} (
        id                   uuid NOT NULL,
        kind                 text NOT NULL,
        name                 text NOT NULL,
        source_connection_id text NOT NULL,
        target_connection_id text NOT NULL,
        settings             jsonb NOT NULL,
        enabled              boolean NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        revision             integer NOT NULL,
        CONSTRAINT integrations_pkey PRIMARY KEY (id)
      )`);
    // Events are routed by the connection they came from, on either side.
    await queryRunner.query(`CREATE INDEX integrations_source_idx ON ${table('integrations')} (kind, source_connection_id)`);
    await queryRunner.query(`CREATE INDEX integrations_target_idx ON ${table('integrations')} (kind, target_connection_id)`);
    // A second Shoprenter integration on one MiniCRM system would overwrite its customers and orders.
    await queryRunner.query(`
      CREATE UNIQUE INDEX integrations_one_shop_per_minicrm ON ${table('integrations')} (target_connection_id)
      WHERE kind = 'shoprenter-minicrm'`);
    // One RetailCRM store = one ZZap account, in both directions.
    await queryRunner.query(`
      CREATE UNIQUE INDEX integrations_one_store_per_zzap ON ${table('integrations')} (source_connection_id)
      WHERE kind = 'zzap-retailcrm'`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX integrations_one_zzap_per_store ON ${table('integrations')}
      (target_connection_id, (settings->>'storeCode')) WHERE kind = 'zzap-retailcrm'`);

    await queryRunner.query(`
      CREATE TABLE ${table('sync_run_views')} (
        run_id         text NOT NULL,
        integration_id text,
        connector      text NOT NULL,
        connection_id  text NOT NULL,
        stream         text NOT NULL,
        state          text NOT NULL,
        reason         text,
        progress       jsonb NOT NULL,
        counts         jsonb NOT NULL,
        error          jsonb,
        started_at     timestamptz NOT NULL,
        finished_at    timestamptz,
        revision       integer NOT NULL,
        CONSTRAINT sync_run_views_pkey PRIMARY KEY (run_id)
      )`);
    // The runs screen lists a connection's runs newest first.
    await queryRunner.query(`
      CREATE INDEX sync_run_views_connection_idx ON ${table('sync_run_views')} (connector, connection_id, started_at DESC)`);

    await queryRunner.query(`
      CREATE TABLE ${table('record_links')} (
        connector     text NOT NULL,
        connection_id text NOT NULL,
        source_key    text NOT NULL,
        entity_type   text NOT NULL,
        external_id   text NOT NULL,
        updated_at    timestamptz NOT NULL,
        CONSTRAINT record_links_pkey PRIMARY KEY (connector, connection_id, source_key)
      )`);
    // Status changes name the vendor's record; they are traced back by its external id.
    await queryRunner.query(`
      CREATE INDEX record_links_external_idx ON ${table('record_links')} (connector, connection_id, external_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['record_links', 'sync_run_views', 'integrations']) {
      await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, name)}`);
    }
  }
}
