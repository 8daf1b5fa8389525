import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaTable } from '../schema';

/** Commands that wait for a record another command writes (see ParkedCommands). */
export class ParkedCommands1796300000000 implements MigrationInterface {
  name = 'ParkedCommands1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = (name: string) => schemaTable(queryRunner, name);
    await queryRunner.query(`
      CREATE TABLE ${table('parked_commands')} (
        -- The durable consumer that took the command off its stream, and the command's envelope id.
        consumer      text NOT NULL,
        command_id    text NOT NULL,
        -- The command as delivered, to publish it again once it can run (or dead-letter it once it waited too long).
        subject       text NOT NULL,
        envelope      jsonb NOT NULL,
        msg_id        text,
        stream        text NOT NULL,
        stream_seq    bigint NOT NULL,
        deliveries    integer NOT NULL,
        -- traceparent/tracestate of the delivery that parked it: its release goes on in the same trace.
        trace_context jsonb NOT NULL,
        -- The ID map key it waits for.
        connection_id text NOT NULL,
        entity_type   text NOT NULL,
        source_key    text NOT NULL,
        reason        text NOT NULL,
        -- New with every parking: the dedupe id of the republish that releases it.
        release_id    uuid NOT NULL DEFAULT gen_random_uuid(),
        parked_at     timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        -- One parking per command and consumer: a second copy of a waiting command joins the first.
        CONSTRAINT parked_commands_pkey PRIMARY KEY (consumer, command_id)
      )`);
    // The release right after the ID map records a key looks its waiting commands up by that key.
    await queryRunner.query(`
      CREATE INDEX parked_commands_awaited_idx ON ${table('parked_commands')} (connection_id, entity_type, source_key)`);
    // The sweep dead-letters what waited past its deadline.
    await queryRunner.query(`CREATE INDEX parked_commands_expires_at_idx ON ${table('parked_commands')} (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'parked_commands')}`);
  }
}
