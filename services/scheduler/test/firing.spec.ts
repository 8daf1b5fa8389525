import { messageId } from '@junction/contracts';
import type { Bus, Logger } from '@junction/messaging';
import type { DataSource } from 'typeorm';
import { FiringLoop } from '../src/firing';
import { FiredSlotEntity, ScheduleEntity } from '../src/persistence';
import { ScheduleUpdates } from '../src/schedule-updates';
import { DAY } from '@junction/schedules';
import {
  connectBus,
  deleteNamespaceStreams,
  dropSchema,
  FakeClock,
  openSchedulerDataSource,
  quietLogger,
  randomNames,
  seedSchedule,
  sleep,
  SyncRequestRecorder,
  waitFor,
} from './support';

describe('the firing loop', () => {
  const { schema, namespace } = randomNames();
  let dataSource: DataSource;
  let bus: Bus;
  let recorder: SyncRequestRecorder;

  const schedules = () => dataSource.getRepository(ScheduleEntity);
  const firedSlots = () => dataSource.getRepository(FiredSlotEntity);
  const loop = (clock: FakeClock, options: { bus?: Bus; logger?: Logger } = {}) =>
    new FiringLoop({
      dataSource,
      bus: options.bus ?? bus,
      clock,
      logger: options.logger ?? quietLogger,
      tickMs: 20,
      retentionMs: 30 * DAY,
    });

  beforeAll(async () => {
    dataSource = await openSchedulerDataSource(schema);
    bus = await connectBus(namespace);
    recorder = await SyncRequestRecorder.start(bus);
  });

  beforeEach(async () => {
    await dataSource.query(`TRUNCATE "${schema}".schedules, "${schema}".fired_slots`);
    recorder.received.length = 0;
  });

  afterAll(async () => {
    recorder?.stop();
    await bus?.close();
    await dataSource?.destroy();
    await dropSchema(schema);
    await deleteNamespaceStreams(namespace);
  });

  it('fires a schedule that missed many slots while the scheduler was down exactly once, for the latest slot', async () => {
    await seedSchedule(dataSource, {
      id: 'every-10-min',
      timing: { kind: 'interval', everyMinutes: 10 },
      effectiveFrom: '2025-06-01T00:00:00Z',
      lastFiredSlot: '2025-06-01T08:00:00Z',
    });
    const firing = loop(new FakeClock('2025-06-01T12:34:56Z'));
    firing.start();
    await waitFor(() => recorder.received.length > 0);
    await sleep(200); // ten more ticks
    await firing.stop();

    const received = await recorder.settle();
    expect(received.map((envelope) => envelope.data.requestedAt)).toEqual(['2025-06-01T12:30:00.000Z']);
    const schedule = await schedules().findOneByOrFail({ id: 'every-10-min' });
    expect(schedule.lastFiredSlot).toEqual(new Date('2025-06-01T12:30:00Z'));
    expect(schedule.nextRunAt).toEqual(new Date('2025-06-01T12:40:00Z'));
    const fired = await firedSlots().find();
    expect(fired).toHaveLength(1);
    expect(fired[0]!.publishedAt).not.toBeNull();
  });

  it('fires a cron schedule at its instant in the time zone, on a DST day, and not a millisecond earlier', async () => {
    const clock = new FakeClock('2025-03-29T12:00:00Z');
    await new ScheduleUpdates(dataSource, clock).apply({
      id: 'config-1',
      type: 'config.schedule.updated',
      version: 1,
      source: { connector: 'mapping', connectionId: 'integration-7' },
      occurredAt: '2025-03-29T12:00:00Z',
      data: {
        integrationId: 'integration-7',
        schedules: [
          {
            id: 'nightly',
            connector: 'shoprenter',
            connectionId: 'shop-1',
            stream: 'orders',
            kind: 'cron',
            cron: '0 3 * * *',
            timeZone: 'Europe/Budapest',
          },
        ],
      },
    });
    // 03:00 on 2025-03-30 in Budapest is the first hour of summer time: 01:00Z.
    expect((await schedules().findOneByOrFail({ id: 'nightly' })).nextRunAt).toEqual(new Date('2025-03-30T01:00:00Z'));
    const firing = loop(clock);

    clock.set('2025-03-30T00:59:59.999Z');
    expect(await firing.tick()).toEqual({ fired: 0, published: 0 });

    clock.set('2025-03-30T01:00:00Z');
    expect(await firing.tick()).toEqual({ fired: 1, published: 1 });
    const id = messageId('schedule', 'nightly', '2025-03-30T01:00:00.000Z');
    expect(await recorder.settle()).toEqual([
      {
        id,
        type: 'sync.requested',
        version: 1,
        source: { connector: 'scheduler', connectionId: 'nightly' },
        integrationId: 'integration-7',
        occurredAt: '2025-03-30T01:00:00.000Z',
        data: {
          requestId: id,
          connector: 'shoprenter',
          connectionId: 'shop-1',
          stream: 'orders',
          integrationId: 'integration-7',
          scheduleId: 'nightly',
          reason: 'schedule',
          fullResync: false,
          requestedAt: '2025-03-30T01:00:00.000Z',
        },
      },
    ]);
    expect((await schedules().findOneByOrFail({ id: 'nightly' })).nextRunAt).toEqual(new Date('2025-03-31T01:00:00Z'));
  });

  it('keeps a fired slot whose publish failed and publishes it on a later tick', async () => {
    await seedSchedule(dataSource, {
      id: 'hourly',
      timing: { kind: 'interval', everyMinutes: 60 },
      effectiveFrom: '2025-06-01T00:00:00Z',
    });
    const clock = new FakeClock('2025-06-01T10:00:30Z');
    const brokenBus = await connectBus(namespace, 'scheduler-test-broken');
    await brokenBus.close();

    expect(await loop(clock, { bus: brokenBus }).tick()).toEqual({ fired: 1, published: 0 });
    expect(await firedSlots().findOneByOrFail({ scheduleId: 'hourly' })).toMatchObject({ publishedAt: null });
    expect(await recorder.settle()).toHaveLength(0);

    clock.advance(5_000);
    expect(await loop(clock).tick()).toEqual({ fired: 0, published: 1 });
    expect((await recorder.settle()).map((envelope) => envelope.id)).toEqual([
      messageId('schedule', 'hourly', '2025-06-01T10:00:00.000Z'),
    ]);
  });

  it('re-publishes a slot that went out before a crash kept it from being marked, and JetStream drops the copy', async () => {
    await seedSchedule(dataSource, {
      id: 'every-5-min',
      timing: { kind: 'interval', everyMinutes: 5 },
      effectiveFrom: '2025-06-01T00:00:00Z',
    });
    const clock = new FakeClock('2025-06-01T10:06:00Z');
    const stored = async () => (await bus.jsm.streams.info(bus.streamName('SYNC'))).state.messages;
    const before = await stored();
    await loop(clock).tick();
    await dataSource.getRepository(FiredSlotEntity).update({ scheduleId: 'every-5-min' }, { publishedAt: null });

    expect(await loop(clock).tick()).toEqual({ fired: 0, published: 1 });
    const received = await recorder.settle();
    expect(received).toHaveLength(2);
    expect(received[1]).toEqual(received[0]);
    expect(await stored()).toBe(before + 1);
  });

  it('skips a schedule it cannot compute and still fires the others', async () => {
    await seedSchedule(dataSource, {
      id: 'good',
      timing: { kind: 'interval', everyMinutes: 5 },
      effectiveFrom: '2025-06-01T00:00:00Z',
    });
    await seedSchedule(dataSource, {
      id: 'broken',
      timing: { kind: 'interval', everyMinutes: 5 },
      effectiveFrom: '2025-06-01T00:00:00Z',
    });
    // A hand edit the contract would never have let through.
    await schedules().update(
      { id: 'broken' },
      { kind: 'cron', everyMinutes: null, cron: 'every now and then', timeZone: 'UTC' },
    );
    const errors: object[] = [];
    const logger: Logger = { ...quietLogger, error: (fields) => errors.push(fields) };

    expect(await loop(new FakeClock('2025-06-01T10:06:00Z'), { logger }).tick()).toEqual({ fired: 1, published: 1 });
    expect(errors).toEqual([expect.objectContaining({ scheduleId: 'broken' })]);
    expect((await recorder.settle()).map((envelope) => envelope.data.scheduleId)).toEqual(['good']);
  });

  it('forgets published slots after the retention period', async () => {
    const envelope = { id: 'x' };
    const row = (slot: string, publishedAt: string) => ({
      scheduleId: 'old',
      slot: new Date(slot),
      firedAt: new Date(slot),
      requestId: `request-${slot}`,
      envelope: envelope as FiredSlotEntity['envelope'],
      publishedAt: new Date(publishedAt),
    });
    await firedSlots().insert([
      row('2025-04-01T00:00:00Z', '2025-04-01T00:00:01Z'),
      row('2025-05-30T00:00:00Z', '2025-05-30T00:00:01Z'),
    ]);

    await loop(new FakeClock('2025-06-01T00:00:00Z')).tick();
    expect((await firedSlots().find()).map((fired) => fired.slot)).toEqual([new Date('2025-05-30T00:00:00Z')]);
  });
});
