import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { IdMap, Observations, openServiceDataSource } from '@junction/connector-kit';
import { ConnectionIdMap, ConnectionObservations, type CommandContext, type ConnectionInfo } from '@junction/connector-runtime';
import { createLogger } from '@junction/telemetry';
import { Bus } from '@junction/messaging';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A built service's exports, loaded from its dist as the laptop launcher does (services are not libraries). */
export function loadService<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, '..', '..', '..', 'services', name, 'dist', 'index.js')) as T;
}

export function randomName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export async function query<Row = Record<string, unknown>>(sql: string, params: unknown[] = [], databaseUrl = DATABASE_URL): Promise<Row[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** A connector-kit schema of its own (ID map, cursors...), dropped by the returned cleanup. */
export async function openKitSchema(): Promise<{ dataSource: DataSource; drop(): Promise<void> }> {
  const schema = randomName('e2e_');
  const dataSource = await openServiceDataSource({ url: DATABASE_URL, schema });
  return {
    dataSource,
    async drop() {
      await dataSource.destroy();
      await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

const silentLogger = createLogger({ service: 'e2e', level: 'silent' });

/**
 * What the runtime hands connector code for one connection (a command context is also a stream's and a test's),
 * with the ID map and observations in `dataSource`; `updateCredentials` stores into the returned object.
 */
export function connectorContext<Settings, Credentials>(
  dataSource: DataSource,
  connection: ConnectionInfo<Settings>,
  credentials: Credentials,
): CommandContext<Settings, Credentials> {
  const ctx: CommandContext<Settings, Credentials> = {
    connection,
    credentials,
    async updateCredentials(update) {
      ctx.credentials = await update(ctx.credentials);
      return ctx.credentials;
    },
    observations: new ConnectionObservations(new Observations(dataSource), connection.id),
    idMap: new ConnectionIdMap(new IdMap(dataSource), connection.id),
    logger: silentLogger,
    signal: new AbortController().signal,
  };
  return ctx;
}

/** Polls `probe` until it answers; a probe that reads a big sandbox state should poll less often than every 100 ms. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Removes every JetStream stream of a test namespace. */
export async function deleteNamespaceStreams(namespace: string, natsUrl = NATS_URL): Promise<void> {
  const bus = await Bus.connect({ servers: natsUrl, name: 'e2e-cleanup', namespace });
  try {
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of bus.jsm.streams.names()) {
      if (name.startsWith(prefix)) await bus.jsm.streams.delete(name);
    }
  } finally {
    await bus.close();
  }
}
