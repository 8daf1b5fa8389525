import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Bus, type Logger } from '@junction/messaging';
import { CONFIG, LOGGER } from '@junction/service-kit';
import { DataSource } from 'typeorm';
import { systemClock } from './clock';
import type { SchedulerConfig } from './config';
import { FiringLoop } from './firing';
import { consumeScheduleUpdates, ScheduleUpdates } from './schedule-updates';
import { DAY } from '@junction/schedules';

/** Runs the scheduler inside Nest: the config.schedule.updated consumer and the firing loop. */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly firing: FiringLoop;
  private readonly updates: ScheduleUpdates;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(CONFIG) config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.updates = new ScheduleUpdates(dataSource, systemClock);
    this.firing = new FiringLoop({
      dataSource,
      bus,
      clock: systemClock,
      logger,
      tickMs: config.TICK_MS,
      retentionMs: config.FIRED_SLOT_RETENTION_DAYS * DAY,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // The consumer is stopped by the service kit's bus drain at shutdown.
    await consumeScheduleUpdates(this.bus, this.updates, this.logger);
    this.firing.start();
  }

  /** Runs before the kit drains the bus and closes the database, which a tick in progress still needs. */
  onModuleDestroy(): Promise<void> {
    return this.firing.stop();
  }
}
