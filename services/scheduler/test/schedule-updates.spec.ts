import type { Envelope, ScheduleUpdated } from '@junction/contracts';
import type { Bus, ConsumerHandle } from '@junction/messaging';
import type { DataSource } from 'typeorm';
import { FiringLoop } from '../src/firing';
import { ScheduleEntity } from '../src/persistence';
import { consumeScheduleUpdates, ScheduleUpdates } from '../src/schedule-updates';
import { DAY } from '@junction/schedules';
import {
  connectBus,
  deleteNamespaceStreams,
  dropSchema,
  FakeClock,
  openSchedulerDataSource,
  quietLogger,
  randomNames,
  waitFor,
} from './support';

type ScheduleConfig = ScheduleUpdated['schedules'][number];

const target = { connector: 'zomentum', connectionId: 'zomentum-1', stream: 'documents' } as const;

describe('config.schedule.updated', () => {
  const { schema, namespace } = randomNames();
  const clock = new FakeClock('2025-06-01T10:07:00Z');
  let dataSource: DataSource;
  let bus: Bus;
  let consumer: ConsumerHandle;
  let sent = 0;

  /** Publishes an update and waits until the consumer has settled it (applied, ignored or dead-lettered). */
  async function publishUpdate(integrationId: string, occurredAt: string, schedules: ScheduleConfig[]): Promise<void> {
    const update: Envelope<ScheduleUpdated> = {
      id: `schedules:${integrationId}:${occurredAt}`,
      type: 'config.schedule.updated',
      version: 1,
      source: { connector: 'mapping', connectionId: integrationId },
      integrationId,
      occurredAt,
      data: { integrationId, schedules },
    };
    await bus.publish('config.schedule.updated', update);
    sent++;
    await waitFor(() => consumer.stats.processed + consumer.stats.deadLettered === sent);
  }

  const schedulesOf = (integrationId: string) =>
    dataSource.getRepository(ScheduleEntity).find({ where: { integrationId }, order: { id: 'ASC' } });

  beforeAll(async () => {
    dataSource = await openSchedulerDataSource(schema);
    bus = await connectBus(namespace);
    consumer = await consumeScheduleUpdates(bus, new ScheduleUpdates(dataSource, clock), quietLogger);
  });

  afterAll(async () => {
    await bus?.close();
    await dataSource?.destroy();
    await dropSchema(schema);
    await deleteNamespaceStreams(namespace);
  });

  it('creates, updates and deletes an integration’s schedules', async () => {
    await publishUpdate('integration-1', '2025-06-01T10:07:00Z', [
      { id: 'a', ...target, kind: 'interval', everyMinutes: 15 },
      { id: 'b', ...target, kind: 'cron', cron: '0 3 * * *', timeZone: 'Europe/Budapest' },
    ]);
    expect(await schedulesOf('integration-1')).toMatchObject([
      { id: 'a', kind: 'interval', everyMinutes: 15, lastFiredSlot: null, nextRunAt: new Date('2025-06-01T10:15:00Z') },
      { id: 'b', kind: 'cron', cron: '0 3 * * *', nextRunAt: new Date('2025-06-02T01:00:00Z') },
    ]);

    // 'a' fires once before the next update.
    clock.set('2025-06-01T10:15:10Z');
    const firing = new FiringLoop({ dataSource, bus, clock, logger: quietLogger, tickMs: 1_000, retentionMs: DAY });
    expect(await firing.tick()).toEqual({ fired: 1, published: 1 });

    clock.set('2025-06-01T10:20:00Z');
    await publishUpdate('integration-1', '2025-06-01T10:20:00Z', [
      { id: 'a', ...target, stream: 'deals', kind: 'interval', everyMinutes: 15 },
      { id: 'b', ...target, kind: 'cron', cron: '30 4 * * *', timeZone: 'UTC' },
      { id: 'c', ...target, kind: 'interval', everyMinutes: 60 },
    ]);
    expect(await schedulesOf('integration-1')).toMatchObject([
      // Same timing: keeps its history and its place in the rhythm.
      {
        id: 'a',
        stream: 'deals',
        effectiveFrom: new Date('2025-06-01T10:07:00Z'),
        lastFiredSlot: new Date('2025-06-01T10:15:00Z'),
        nextRunAt: new Date('2025-06-01T10:30:00Z'),
      },
      // New timing: starts afresh from now, with nothing fired under it yet.
      {
        id: 'b',
        cron: '30 4 * * *',
        timeZone: 'UTC',
        effectiveFrom: new Date('2025-06-01T10:20:00Z'),
        lastFiredSlot: null,
        nextRunAt: new Date('2025-06-02T04:30:00Z'),
      },
      { id: 'c', createdAt: new Date('2025-06-01T10:20:00Z'), nextRunAt: new Date('2025-06-01T11:00:00Z') },
    ]);

    await publishUpdate('integration-1', '2025-06-01T10:21:00Z', [{ id: 'c', ...target, kind: 'interval', everyMinutes: 60 }]);
    expect((await schedulesOf('integration-1')).map((row) => row.id)).toEqual(['c']);

    await publishUpdate('integration-1', '2025-06-01T10:22:00Z', []);
    expect(await schedulesOf('integration-1')).toEqual([]);
  });

  it('leaves other integrations’ schedules alone', async () => {
    await publishUpdate('integration-2', '2025-06-01T11:00:00Z', [{ id: 'two', ...target, kind: 'interval', everyMinutes: 5 }]);
    await publishUpdate('integration-3', '2025-06-01T11:00:00Z', []);
    expect((await schedulesOf('integration-2')).map((row) => row.id)).toEqual(['two']);
  });

  it('ignores an older update that arrives after a newer one', async () => {
    await publishUpdate('integration-4', '2025-06-01T12:00:00Z', [{ id: 'newer', ...target, kind: 'interval', everyMinutes: 5 }]);
    await publishUpdate('integration-4', '2025-06-01T11:00:00Z', [{ id: 'older', ...target, kind: 'interval', everyMinutes: 5 }]);
    expect((await schedulesOf('integration-4')).map((row) => row.id)).toEqual(['newer']);
  });

  it('dead-letters an update with a schedule that can never run, and changes nothing', async () => {
    await publishUpdate('integration-5', '2025-06-01T12:00:00Z', [{ id: 'kept', ...target, kind: 'interval', everyMinutes: 5 }]);
    const deadLettered = consumer.stats.deadLettered;
    await publishUpdate('integration-5', '2025-06-01T12:05:00Z', [
      { id: 'never', ...target, kind: 'cron', cron: '0 0 30 2 *', timeZone: 'UTC' },
    ]);
    expect(consumer.stats.deadLettered).toBe(deadLettered + 1);
    const [letter] = await bus.listDeadLetters();
    expect(letter).toMatchObject({
      consumer: 'scheduler-config',
      originalSubject: 'config.schedule.updated',
      reason: expect.stringContaining("data.schedules.0.cron: Invalid cron expression: cron expression '0 0 30 2 *' matches no date"),
    });
    expect((await schedulesOf('integration-5')).map((row) => row.id)).toEqual(['kept']);
  });
});
