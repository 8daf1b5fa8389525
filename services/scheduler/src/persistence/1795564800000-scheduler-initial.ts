import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaTable } from '@junction/connector-kit';

/** The scheduler's tables in its own schema. The entities next to this file mirror them. */
export class SchedulerInitial1795564800000 implements MigrationInterface {
  name = 'SchedulerInitial1795564800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = (name: string) => schemaTable(queryRunner, name);

    await queryRunner.query(`
      CREATE TABLE ${table('schedules')} (
        id              text NOT NULL,
        integration_id  text NOT NULL,
        connector       text NOT NULL,
        connection_id   text NOT NULL,
        stream          text NOT NULL,
        kind            text NOT NULL,
        every_minutes   integer,
        cron            text,
        time_zone       text,
        enabled         boolean NOT NULL DEFAULT true,
        created_at      timestamptz NOT NULL,
        effective_from  timestamptz NOT NULL,
        last_fired_slot timestamptz,
        next_run_at     timestamptz NOT NULL,
        CONSTRAINT schedules_pkey PRIMARY KEY (id),
        -- Exactly the columns of its kind, so a row always describes one unambiguous timing.
        CONSTRAINT schedules_timing_check CHECK (
          (kind = 'interval' AND every_minutes >= 1 AND cron IS NULL AND time_zone IS NULL)
          OR (kind = 'cron' AND every_minutes IS NULL AND cron IS NOT NULL AND time_zone IS NOT NULL)
        )
      )`);
    // The firing loop's query: enabled schedules whose next run has come.
    await queryRunner.query(`CREATE INDEX schedules_due_idx ON ${table('schedules')} (next_run_at) WHERE enabled`);
    await queryRunner.query(`CREATE INDEX schedules_integration_id_idx ON ${table('schedules')} (integration_id)`);

    await queryRunner.query(`
      CREATE TABLE ${table('fired_slots')} (
        schedule_id  text NOT NULL,
        slot         timestamptz NOT NULL,
        fired_at     timestamptz NOT NULL,
        request_id   text NOT NULL,
        envelope     jsonb NOT NULL,
        published_at timestamptz,
        -- A slot of a schedule fires at most once, whatever the code above does: two replicas (or a replica
        -- whose clock is off, or a hand-edited last_fired_slot) that try the same slot conflict here, and only
        -- the transaction whose INSERT went in publishes. No foreign key: an unpublished row must survive the
        -- deletion of its schedule so that a slot that fired is still announced.
        CONSTRAINT fired_slots_pkey PRIMARY KEY (schedule_id, slot)
      )`);
    // The outbox: rows still to publish.
    await queryRunner.query(
      `CREATE INDEX fired_slots_unpublished_idx ON ${table('fired_slots')} (fired_at) WHERE published_at IS NULL`,
    );
    // Pruning history by age.
    await queryRunner.query(`CREATE INDEX fired_slots_published_at_idx ON ${table('fired_slots')} (published_at)`);

    await queryRunner.query(`
      CREATE TABLE ${table('applied_schedule_updates')} (
        integration_id text NOT NULL,
        -- occurredAt of the newest config.schedule.updated applied for the integration: an older one that is
        -- redelivered late must not bring back schedules a newer one removed.
        occurred_at    timestamptz NOT NULL,
        message_id     text NOT NULL,
        applied_at     timestamptz NOT NULL,
        CONSTRAINT applied_schedule_updates_pkey PRIMARY KEY (integration_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['applied_schedule_updates', 'fired_slots', 'schedules']) {
      await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, name)}`);
    }
  }
}
