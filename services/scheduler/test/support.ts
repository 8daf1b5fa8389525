import { randomBytes } from 'node:crypto';
import { openServiceDataSource } from '@junction/connector-kit';
import type { Envelope, SyncRequested } from '@junction/contracts';
import { Bus, type Logger } from '@junction/messaging';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Clock } from '../src/clock';
import { ScheduleEntity, schedulerEntities, schedulerMigrations, timingColumns } from '../src/persistence';
import { nextRunAt, type ScheduleTiming } from '@junction/schedules';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A schema and a messaging namespace of the test's own, so runs never see each other's rows or messages. */
export function randomNames(): { schema: string; namespace: string } {
  const suffix = randomBytes(4).toString('hex');
  return { schema: `scheduler_test_${suffix}`, namespace: `t${suffix}` };
}

export function openSchedulerDataSource(schema: string): Promise<DataSource> {
  return openServiceDataSource({
    url: DATABASE_URL,
    schema,
    entities: schedulerEntities,
    migrations: schedulerMigrations,
  });
}

export async function connectBus(namespace: string, name = 'scheduler-test'): Promise<Bus> {
  const bus = await Bus.connect({ servers: NATS_URL, name, namespace });
  await bus.ensureStreams();
  return bus;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const bus = await Bus.connect({ servers: NATS_URL, name: 'scheduler-test-cleanup', namespace });
  const prefix = `${namespace.toUpperCase()}_`;
  for await (const name of bus.jsm.streams.names()) {
    if (name.startsWith(prefix)) await bus.jsm.streams.delete(name);
  }
  await bus.close();
}

/** A clock the test sets by hand. */
export class FakeClock implements Clock {
  private current: Date;

  constructor(iso: string) {
    this.current = new Date(iso);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const quietLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Every sync.requested published in the namespace, seen by a plain NATS subscriber: unlike a stream consumer it
 * also sees publishes that JetStream dropped as duplicates, so a test counts every publish.
 */
export class SyncRequestRecorder {
  readonly received: Envelope<SyncRequested>[] = [];
  private readonly subscription: ReturnType<Bus['nc']['subscribe']>;

  private constructor(private readonly bus: Bus) {
    this.subscription = bus.nc.subscribe(bus.subject('sync.requested'), {
      callback: (err, msg) => {
        if (!err) this.received.push(msg.json<Envelope<SyncRequested>>());
      },
    });
  }

  static async start(bus: Bus): Promise<SyncRequestRecorder> {
    const recorder = new SyncRequestRecorder(bus);
    // The subscription is live on the server once a round trip has passed.
    await bus.nc.flush();
    return recorder;
  }

  /** Waits until every message published so far has arrived. */
  async settle(): Promise<Envelope<SyncRequested>[]> {
    await this.bus.nc.flush();
    return this.received;
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

export interface SeededSchedule {
  id: string;
  timing: ScheduleTiming;
  effectiveFrom: string;
  lastFiredSlot?: string;
  integrationId?: string;
}

/** Writes a schedule row as the config consumer would have left it. */
export async function seedSchedule(dataSource: DataSource, seed: SeededSchedule): Promise<ScheduleEntity> {
  const effectiveFrom = new Date(seed.effectiveFrom);
  const lastFiredSlot = seed.lastFiredSlot ? new Date(seed.lastFiredSlot) : null;
  const row = Object.assign(new ScheduleEntity(), {
    id: seed.id,
    integrationId: seed.integrationId ?? 'integration-1',
    connector: 'zomentum',
    connectionId: 'connection-1',
    stream: 'documents',
    ...timingColumns(seed.timing),
    enabled: true,
    createdAt: effectiveFrom,
    effectiveFrom,
    lastFiredSlot,
    nextRunAt: nextRunAt({ ...seed.timing, effectiveFrom }, lastFiredSlot ?? undefined),
  });
  return dataSource.getRepository(ScheduleEntity).save(row);
}

/** Polls until `check` returns something truthy. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
