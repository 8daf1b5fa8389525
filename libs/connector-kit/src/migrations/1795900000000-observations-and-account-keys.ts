import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaTable } from '../schema';

/** Observations of vendor records (what a pull last published about them) and vendor-account keys on connections. */
export class ObservationsAndAccountKeys1795900000000 implements MigrationInterface {
  name = 'ObservationsAndAccountKeys1795900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = (name: string) => schemaTable(queryRunner, name);

    await queryRunner.query(`
      CREATE TABLE ${table('observations')} (
        connection_id text NOT NULL,
        kind          text NOT NULL,
        key           text NOT NULL,
        value         text NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        -- One value per vendor record and kind (e.g. the last order status a pull published).
        CONSTRAINT observations_pkey PRIMARY KEY (connection_id, kind, key)
      )`);

    // A hash of the vendor account a connection reaches (a MiniCRM system, a ZZap login), never the value itself.
    await queryRunner.query(`ALTER TABLE ${table('connections')} ADD COLUMN account_key text`);
    // One connection per vendor account where the connector says so: two would overwrite each other's records.
    await queryRunner.query(`
      CREATE UNIQUE INDEX connections_account_key_idx ON ${table('connections')} (connector, account_key)
        WHERE account_key IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ${schemaTable(queryRunner, 'connections_account_key_idx')}`);
    await queryRunner.query(`ALTER TABLE ${schemaTable(queryRunner, 'connections')} DROP COLUMN account_key`);
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'observations')}`);
  }
}
