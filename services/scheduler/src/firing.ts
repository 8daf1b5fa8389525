import type { Envelope, SyncRequested } from '@junction/contracts';
import type { Bus, Logger } from '@junction/messaging';
import { LessThan, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from './clock';
import { FiredSlotEntity, qualifiedTable, ScheduleEntity, scheduleOf } from './persistence';
import { dueSlot, nextRunAt } from '@junction/schedules';
import { syncRequestFor } from './sync-request';

export interface FiringLoopOptions {
  dataSource: DataSource;
  bus: Bus;
  clock: Clock;
  logger: Logger;
  tickMs: number;
  /** How long published fired slots are kept as history. */
  retentionMs: number;
  /** Due schedules claimed per transaction; replicas split the due schedules by batches. Default 50. */
  batchSize?: number;
}

export interface TickResult {
  /** Slots this tick fired (committed). */
  fired: number;
  /** sync.requested messages this tick published, its own and ones an earlier tick or replica left behind. */
  published: number;
}

/** What to write for one due schedule. */
interface Firing {
  schedule: ScheduleEntity;
  /** The slot to fire and its message; absent when next_run_at was stale and no slot is due. */
  due?: { slot: Date; envelope: Envelope<SyncRequested> };
  lastFiredSlot?: Date;
  nextRunAt: Date;
}

const SYNC_REQUESTED = 'sync.requested';
const DEFAULT_BATCH_SIZE = 50;
const OUTBOX_BATCH = 100;

/**
 * Fires due schedules. Each tick:
 * 1. due schedules are claimed in batches with FOR UPDATE SKIP LOCKED, so replicas split them instead of queueing
 *    on them; in the claiming transaction each one's slot goes into fired_slots (the outbox) and the schedule
 *    advances, so a slot is recorded exactly when its schedule moves past it;
 * 2. publishes the outbox after commit and marks each row published. A crash between commit and publish leaves
 *    the row for the next tick of any replica, so no slot is lost; a crash between publish and mark re-publishes
 *    the same envelope id, which JetStream (Nats-Msg-Id) and the connector's inbox drop.
 */
export class FiringLoop {
  private timer?: NodeJS.Timeout;
  private currentTick?: Promise<unknown>;
  private stopped = true;

  constructor(private readonly options: FiringLoopOptions) {}

  /** Ticks every tickMs until stop(); a tick never overlaps the previous one. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.scheduleTick();
  }

  /** Stops ticking and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.currentTick;
  }

  async tick(): Promise<TickResult> {
    const now = this.options.clock.now();
    const fired = await this.fireDueSchedules(now);
    const published = await this.publishOutbox(now);
    await this.options.dataSource
      .getRepository(FiredSlotEntity)
      .delete({ publishedAt: LessThan(new Date(now.getTime() - this.options.retentionMs)) });
    return { fired, published };
  }

  private scheduleTick(): void {
    this.timer = setTimeout(() => {
      this.currentTick = this.tick()
        .catch((err: unknown) => this.options.logger.error({ err }, 'scheduler tick failed; retrying next tick'))
        .finally(() => {
          if (!this.stopped) this.scheduleTick();
        });
    }, this.options.tickMs);
  }

  private async fireDueSchedules(now: Date): Promise<number> {
    const batchSize = this.options.batchSize ?? DEFAULT_BATCH_SIZE;
    let fired = 0;
    // A schedule that cannot be computed (say, a row edited into nonsense) is left alone for the rest of the tick.
    const failing: string[] = [];
    for (;;) {
      // One transaction per batch: a commit waits for the disk, a statement does not.
      const batch = await this.options.dataSource.transaction(async (manager) => {
        const due = await claimDueSchedules(manager, now, failing, batchSize);
        let firedInBatch = 0;
        for (const schedule of due) {
          let firing: Firing;
          try {
            firing = planFiring(schedule, now);
          } catch (err) {
            this.options.logger.error({ err, scheduleId: schedule.id }, 'could not compute schedule; retrying next tick');
            failing.push(schedule.id);
            continue;
          }
          if (await this.record(manager, firing, now)) firedInBatch++;
        }
        return { claimed: due.length, fired: firedInBatch };
      });
      fired += batch.fired;
      if (batch.claimed < batchSize) return fired;
    }
  }

  /** Writes the slot to the outbox and advances the schedule; false when the slot had fired already. */
  private async record(manager: EntityManager, firing: Firing, now: Date): Promise<boolean> {
    const { schedule, due, lastFiredSlot, nextRunAt } = firing;
    let fired = false;
    if (due) {
      const { slot, envelope } = due;
      // The primary key (schedule_id, slot) decides who fires a slot; see the migration.
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${qualifiedTable(manager, 'fired_slots')} (schedule_id, slot, fired_at, request_id, envelope)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (schedule_id, slot) DO NOTHING
         RETURNING slot`,
        [schedule.id, slot, now, envelope.id, JSON.stringify(envelope)],
      );
      fired = inserted.length > 0;
      const log = { scheduleId: schedule.id, slot: slot.toISOString(), requestId: envelope.id };
      if (fired) this.options.logger.info(log, 'schedule fired');
      else this.options.logger.warn(log, 'slot had already fired; schedule advanced without firing again');
    }
    await manager.update(ScheduleEntity, { id: schedule.id }, { lastFiredSlot: lastFiredSlot ?? null, nextRunAt });
    return fired;
  }

  private async publishOutbox(now: Date): Promise<number> {
    let published = 0;
    for (;;) {
      const batch = await this.options.dataSource.transaction(async (manager) => {
        // Locked while publishing, so two replicas never publish the same row at the same time.
        const pending = await manager
          .createQueryBuilder(FiredSlotEntity, 'fired')
          .where('fired.publishedAt IS NULL')
          .orderBy('fired.firedAt')
          .limit(OUTBOX_BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        let sent = 0;
        for (const row of pending) {
          try {
            await this.options.bus.publish(SYNC_REQUESTED, row.envelope);
          } catch (err) {
            // Keep what went out; the rest stays in the outbox for the next tick.
            this.options.logger.error({ err, requestId: row.requestId }, 'could not publish sync.requested; retrying next tick');
            return { sent, done: true };
          }
          await manager.update(FiredSlotEntity, { scheduleId: row.scheduleId, slot: row.slot }, { publishedAt: now });
          sent++;
        }
        return { sent, done: pending.length < OUTBOX_BATCH };
      });
      published += batch.sent;
      if (batch.done) return published;
    }
  }
}

/** The most overdue enabled schedules that no other transaction holds, locked for this one. */
function claimDueSchedules(manager: EntityManager, now: Date, skip: string[], limit: number): Promise<ScheduleEntity[]> {
  return manager
    .createQueryBuilder(ScheduleEntity, 'schedule')
    .where('schedule.enabled')
    .andWhere('schedule.nextRunAt <= :now', { now })
    .andWhere('NOT (schedule.id = ANY(:skip))', { skip })
    .orderBy('schedule.nextRunAt')
    .limit(limit)
    .setLock('pessimistic_write')
    .setOnLocked('skip_locked')
    .getMany();
}

/** The slot a due schedule fires now, if any, and where the schedule goes next. */
function planFiring(schedule: ScheduleEntity, now: Date): Firing {
  const plan = scheduleOf(schedule);
  const slot = dueSlot(plan, schedule.lastFiredSlot ?? undefined, now);
  const lastFiredSlot = slot ?? schedule.lastFiredSlot ?? undefined;
  return {
    schedule,
    due: slot && { slot, envelope: syncRequestFor(schedule, slot) },
    lastFiredSlot,
    nextRunAt: nextRunAt(plan, lastFiredSlot),
  };
}
