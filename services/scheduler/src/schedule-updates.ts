import { type Envelope, parseEvent, type ScheduleUpdated } from '@junction/contracts';
import { PermanentError, type Bus, type ConsumerHandle, type Logger } from '@junction/messaging';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from './clock';
import { qualifiedTable, ScheduleEntity, scheduleOf, timingColumns } from './persistence';
import { InvalidTimingError, nextRunAt, sameTiming, validateTiming, type ScheduleTiming } from '@junction/schedules';

type ScheduleConfig = ScheduleUpdated['schedules'][number];

export type ApplyResult = 'applied' | 'stale';

/** A schedule the contract lets through but the scheduler cannot run; retrying will not help. */
export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError';
}

/** Keeps the schedules table equal to the newest config.schedule.updated of each integration. */
export class ScheduleUpdates {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Replaces the integration's schedules with the update's. A schedule whose timing did not change keeps its
   * last fired slot; a new or re-timed one takes effect now, so it never fires for slots before the change.
   * An update older than the last applied one for the integration is ignored ('stale').
   */
  async apply(update: Envelope<ScheduleUpdated>): Promise<ApplyResult> {
    const { integrationId, schedules } = update.data;
    const timings = schedules.map(checkedTiming);
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      if (!(await claimNewest(manager, update, now))) return 'stale';
      const ids = schedules.map((schedule) => schedule.id);
      // Locked so a firing in between cannot be overwritten with the last fired slot read here.
      const current = await manager
        .createQueryBuilder(ScheduleEntity, 'schedule')
        .where('schedule.id = ANY(:ids)', { ids })
        .setLock('pessimistic_write')
        .getMany();
      const existing = new Map(current.map((row) => [row.id, row]));
      const rows = schedules.map((schedule, index) =>
        scheduleRow(integrationId, schedule, timings[index]!, existing.get(schedule.id), now),
      );
      if (rows.length > 0) await manager.upsert(ScheduleEntity, rows, ['id']);
      await manager
        .createQueryBuilder()
        .delete()
        .from(ScheduleEntity)
        .where('integration_id = :integrationId', { integrationId })
        .andWhere('NOT (id = ANY(:ids))', { ids })
        .execute();
      return 'applied';
    });
  }
}

/** Consumes config.schedule.updated on the durable 'scheduler-config'; invalid schedules are dead-lettered. */
export function consumeScheduleUpdates(bus: Bus, updates: ScheduleUpdates, logger: Logger): Promise<ConsumerHandle> {
  return bus.consume({
    stream: 'CONFIG',
    durable: 'scheduler-config',
    filterSubject: 'config.schedule.updated',
    parse: (raw) => parseEvent('config.schedule.updated', raw),
    handle: async (update) => {
      let result: ApplyResult;
      try {
        result = await updates.apply(update);
      } catch (err) {
        if (err instanceof InvalidScheduleError) throw new PermanentError(err.message, { cause: err });
        throw err;
      }
      const log = { integrationId: update.data.integrationId, messageId: update.id, schedules: update.data.schedules.length };
      if (result === 'applied') logger.info(log, 'schedules updated');
      else logger.warn(log, 'ignored a schedule update older than the one already applied');
    },
  });
}

function checkedTiming(schedule: ScheduleConfig): ScheduleTiming {
  // The id becomes part of sync.requested message ids, which are NATS headers.
  if (/\s/.test(schedule.id)) throw new InvalidScheduleError(`schedule id '${schedule.id}' contains whitespace`);
  try {
    return validateTiming(schedule);
  } catch (err) {
    if (err instanceof InvalidTimingError) throw new InvalidScheduleError(`schedule '${schedule.id}': ${err.message}`);
    throw err;
  }
}

function scheduleRow(
  integrationId: string,
  schedule: ScheduleConfig,
  timing: ScheduleTiming,
  current: ScheduleEntity | undefined,
  now: Date,
): ScheduleEntity {
  const unchanged = current !== undefined && sameTiming(scheduleOf(current), timing);
  const effectiveFrom = unchanged ? current.effectiveFrom : now;
  const lastFiredSlot = unchanged ? current.lastFiredSlot : null;
  return Object.assign(new ScheduleEntity(), {
    id: schedule.id,
    integrationId,
    connector: schedule.connector,
    connectionId: schedule.connectionId,
    stream: schedule.stream,
    ...timingColumns(timing),
    enabled: current?.enabled ?? true,
    createdAt: current?.createdAt ?? now,
    effectiveFrom,
    lastFiredSlot,
    nextRunAt: nextRunAt({ ...timing, effectiveFrom }, lastFiredSlot ?? undefined),
  });
}

/**
 * Records the update as the integration's newest, or returns false when a newer one was applied already.
 * The row lock it takes also serialises two replicas applying updates of the same integration.
 */
async function claimNewest(manager: EntityManager, update: Envelope<ScheduleUpdated>, now: Date): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO ${qualifiedTable(manager, 'applied_schedule_updates')} AS applied
       (integration_id, occurred_at, message_id, applied_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (integration_id) DO UPDATE
       SET occurred_at = EXCLUDED.occurred_at, message_id = EXCLUDED.message_id, applied_at = EXCLUDED.applied_at
       WHERE applied.occurred_at <= EXCLUDED.occurred_at
     RETURNING integration_id`,
    [update.data.integrationId, new Date(update.occurredAt), update.id, now],
  );
  return rows.length > 0;
}
