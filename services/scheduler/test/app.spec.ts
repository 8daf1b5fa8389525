import type { INestApplication } from '@nestjs/common';
import type { Envelope, ScheduleUpdated } from '@junction/contracts';
import type { Bus } from '@junction/messaging';
import { listeningPort, runService } from '@junction/service-kit';
import { AppModule } from '../src';
import { DAY } from '@junction/schedules';
import {
  connectBus,
  DATABASE_URL,
  deleteNamespaceStreams,
  dropSchema,
  NATS_URL,
  openSchedulerDataSource,
  randomNames,
  seedSchedule,
  sleep,
  SyncRequestRecorder,
  waitFor,
} from './support';

const WEEK = 7 * DAY;
const TICK_MS = 30;

describe('the scheduler service', () => {
  const { schema, namespace } = randomNames();
  // The slot a weekly schedule last reached, by the real clock (weeks count from the Unix epoch).
  const thisWeeksSlot = new Date(Math.floor(Date.now() / WEEK) * WEEK);
  let app: INestApplication;
  let baseUrl: string;
  let bus: Bus;
  let recorder: SyncRequestRecorder;

  beforeAll(async () => {
    // The scheduler was down for a while: its weekly schedule missed two slots.
    const dataSource = await openSchedulerDataSource(schema);
    await seedSchedule(dataSource, {
      id: 'weekly',
      timing: { kind: 'interval', everyMinutes: WEEK / 60_000 },
      effectiveFrom: new Date(thisWeeksSlot.getTime() - 3 * WEEK).toISOString(),
      lastFiredSlot: new Date(thisWeeksSlot.getTime() - 2 * WEEK).toISOString(),
    });
    await dataSource.destroy();
    bus = await connectBus(namespace);
    recorder = await SyncRequestRecorder.start(bus);

    Object.assign(process.env, {
      SCHEDULER_DATABASE_URL: DATABASE_URL,
      SCHEDULER_NATS_URL: NATS_URL,
      SCHEDULER_DB_SCHEMA: schema,
      SCHEDULER_JUNCTION_NAMESPACE: namespace,
      SCHEDULER_HTTP_HOST: '127.0.0.1',
      SCHEDULER_HTTP_PORT: '0',
      SCHEDULER_LOG_LEVEL: 'silent',
      SCHEDULER_TICK_MS: String(TICK_MS),
    });
    app = await runService(AppModule, { handleSignals: false });
    baseUrl = `http://127.0.0.1:${listeningPort(app)}`;
  });

  afterAll(async () => {
    await app?.close();
    recorder?.stop();
    await bus?.close();
    await dropSchema(schema);
    await deleteNamespaceStreams(namespace);
  });

  it('is ready once its schema is migrated and NATS answers', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
  });

  it('fires the missed weekly run once after start, not once per missed slot', async () => {
    await waitFor(() => recorder.received.length > 0);
    await sleep(10 * TICK_MS);
    const received = await recorder.settle();
    expect(received.map((envelope) => [envelope.data.scheduleId, envelope.data.requestedAt])).toEqual([
      ['weekly', thisWeeksSlot.toISOString()],
    ]);
  });

  it('takes schedules from config.schedule.updated and lists them with their next run', async () => {
    const update: Envelope<ScheduleUpdated> = {
      id: 'schedules:integration-9:1',
      type: 'config.schedule.updated',
      version: 1,
      source: { connector: 'mapping', connectionId: 'integration-9' },
      integrationId: 'integration-9',
      occurredAt: new Date().toISOString(),
      data: {
        integrationId: 'integration-9',
        schedules: [
          {
            id: 'nightly-orders',
            connector: 'shoprenter',
            connectionId: 'shop-1',
            stream: 'orders',
            kind: 'cron',
            cron: '0 3 * * *',
            timeZone: 'Europe/Budapest',
          },
        ],
      },
    };
    await bus.publish('config.schedule.updated', update);

    const listed = await waitFor(async () => {
      const response = await fetch(`${baseUrl}/schedules?integrationId=integration-9`);
      const body = (await response.json()) as { schedules: Array<Record<string, unknown>> };
      return body.schedules.length > 0 ? body.schedules : undefined;
    });
    expect(listed).toEqual([
      {
        id: 'nightly-orders',
        integrationId: 'integration-9',
        connector: 'shoprenter',
        connectionId: 'shop-1',
        stream: 'orders',
        kind: 'cron',
        cron: '0 3 * * *',
        timeZone: 'Europe/Budapest',
        enabled: true,
        createdAt: expect.any(String),
        lastFiredSlot: null,
        nextRunAt: expect.any(String),
      },
    ]);
    // 03:00 in Budapest is 01:00 or 02:00 UTC, depending on summer time.
    expect(listed[0]!['nextRunAt']).toMatch(/T0[12]:00:00\.000Z$/);

    const all = (await (await fetch(`${baseUrl}/schedules`)).json()) as { schedules: Array<{ id: string }> };
    expect(all.schedules.map((schedule) => schedule.id).sort()).toEqual(['nightly-orders', 'weekly']);
  });
});
