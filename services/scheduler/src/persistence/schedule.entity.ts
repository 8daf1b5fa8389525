import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Schedule, ScheduleTiming } from '@junction/schedules';

/** One schedule of an integration and its next-run state. The migration is the source of truth; this mirrors it. */
@Entity({ name: 'schedules' })
@Index('schedules_due_idx', ['nextRunAt'], { where: 'enabled' })
@Index('schedules_integration_id_idx', ['integrationId'])
export class ScheduleEntity {
  /** The schedule id from config.schedule.updated. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'schedules_pkey' })
  id!: string;

  @Column({ type: 'text', name: 'integration_id' })
  integrationId!: string;

  @Column({ type: 'text' })
  connector!: string;

  @Column({ type: 'text', name: 'connection_id' })
  connectionId!: string;

  @Column({ type: 'text' })
  stream!: string;

  @Column({ type: 'text' })
  kind!: ScheduleTiming['kind'];

  @Column({ type: 'integer', name: 'every_minutes', nullable: true })
  everyMinutes!: number | null;

  @Column({ type: 'text', nullable: true })
  cron!: string | null;

  @Column({ type: 'text', name: 'time_zone', nullable: true })
  timeZone!: string | null;

  /** An operator's pause switch; config updates leave it as it is. */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** When the current timing took effect (creation or the last timing change): earlier slots never fire. */
  @Column({ type: 'timestamptz', name: 'effective_from' })
  effectiveFrom!: Date;

  @Column({ type: 'timestamptz', name: 'last_fired_slot', nullable: true })
  lastFiredSlot!: Date | null;

  /** The first slot still eligible to fire; the firing loop selects schedules by it. */
  @Column({ type: 'timestamptz', name: 'next_run_at' })
  nextRunAt!: Date;
}

/** The slot arithmetic's view of a row. */
export function scheduleOf(row: ScheduleEntity): Schedule {
  const effectiveFrom = row.effectiveFrom;
  if (row.kind === 'interval') return { kind: 'interval', everyMinutes: row.everyMinutes!, effectiveFrom };
  return { kind: 'cron', cron: row.cron!, timeZone: row.timeZone!, effectiveFrom };
}

/** A timing as the row's columns; the other kind's columns are null (schedules_timing_check). */
export function timingColumns(timing: ScheduleTiming): Pick<ScheduleEntity, 'kind' | 'everyMinutes' | 'cron' | 'timeZone'> {
  return timing.kind === 'interval'
    ? { kind: 'interval', everyMinutes: timing.everyMinutes, cron: null, timeZone: null }
    : { kind: 'cron', everyMinutes: null, cron: timing.cron, timeZone: timing.timeZone };
}
