import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ScheduleEntity } from './persistence';

export interface ScheduleView {
  id: string;
  integrationId: string;
  connector: string;
  connectionId: string;
  stream: string;
  kind: ScheduleEntity['kind'];
  everyMinutes?: number;
  cron?: string;
  timeZone?: string;
  enabled: boolean;
  createdAt: string;
  lastFiredSlot: string | null;
  nextRunAt: string;
}

/** For operators: what is scheduled and when it runs next. */
@Controller('schedules')
export class SchedulesController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Every schedule, soonest next run first; `?integrationId=` narrows it to one integration. */
  @Get()
  async list(@Query('integrationId') integrationId?: string): Promise<{ schedules: ScheduleView[] }> {
    const rows = await this.dataSource.getRepository(ScheduleEntity).find({
      where: integrationId ? { integrationId } : {},
      order: { nextRunAt: 'ASC', id: 'ASC' },
    });
    return { schedules: rows.map(scheduleView) };
  }
}

function scheduleView(row: ScheduleEntity): ScheduleView {
  const timing =
    row.kind === 'interval' ? { everyMinutes: row.everyMinutes! } : { cron: row.cron!, timeZone: row.timeZone! };
  return {
    id: row.id,
    integrationId: row.integrationId,
    connector: row.connector,
    connectionId: row.connectionId,
    stream: row.stream,
    kind: row.kind,
    ...timing,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    lastFiredSlot: row.lastFiredSlot?.toISOString() ?? null,
    nextRunAt: row.nextRunAt.toISOString(),
  };
}
