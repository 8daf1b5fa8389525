import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaTable } from '../schema';

/** Who is creating the vendor record of an ID map key right now (see IdMapClaims). */
export class IdMapClaims1796100000000 implements MigrationInterface {
  name = 'IdMapClaims1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${schemaTable(queryRunner, 'id_map_claims')} (
        connection_id text NOT NULL,
        entity_type   text NOT NULL,
        source_key    text NOT NULL,
        -- One ensure() call; only it renews or releases the claim.
        owner         text NOT NULL,
        -- On the database's clock; renewed while the owner works, taken over by anyone once past.
        expires_at    timestamptz NOT NULL,
        CONSTRAINT id_map_claims_pkey PRIMARY KEY (connection_id, entity_type, source_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'id_map_claims')}`);
  }
}
