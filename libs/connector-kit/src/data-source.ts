import { Client } from 'pg';
import { DataSource, MigrationExecutor, type DataSourceOptions, type LoggerOptions } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { advisoryLockName, LOCK_SQL, UNLOCK_SQL } from './advisory-locks';
import { kitEntities } from './entities';
import { kitMigrations } from './migrations';
import { PreparingClient } from './prepared-statements';
import { assertSchemaName, quoteIdent } from './schema';

/** An entity class or EntitySchema (or a glob path), as TypeORM's `entities` array takes them. */
export type EntityDefinition = Extract<DataSourceOptions['entities'], unknown[]>[number];
/** A migration class (or a glob path), as TypeORM's `migrations` array takes them. */
export type MigrationDefinition = Extract<DataSourceOptions['migrations'], unknown[]>[number];

export interface ServiceDataSourceOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** The service's own schema; created when missing. */
  schema: string;
  /** The service's entities; the kit's are always added. */
  entities?: EntityDefinition[];
  /** The service's migrations; they run after the kit's. */
  migrations?: MigrationDefinition[];
  logging?: LoggerOptions;
  poolSize?: number;
  /**
   * Prepare statements with parameters once per connection (default true). Off behind a pooler that moves a
   * session's statements between server connections: PgBouncer in transaction mode before 1.21.
   */
  preparedStatements?: boolean;
}

const MIGRATIONS_LOCK_KEY = 'kit:migrations';

/**
 * How long a pooled connection may sit idle before it is closed (pg's default is 10 s). A new connection costs its
 * start-up and the preparing of every statement again: with 10 s, the first events after each short pause paid for it
 * (a 100 events/s run's first five seconds: 95 ms median latency, 25 ms with connections kept).
 */
export const POOL_IDLE_TIMEOUT_MS = 300_000;

/**
 * Opens a DataSource on the service's schema: creates the schema, runs the kit's migrations, then the
 * service's, and returns the initialized DataSource. Replicas starting together take turns on an
 * advisory lock, so each migration runs exactly once.
 */
export async function openServiceDataSource(options: ServiceDataSourceOptions): Promise<DataSource> {
  const schema = assertSchemaName(options.schema);
  const lock = await lockMigrations(options.url, schema);
  let dataSource: DataSource | undefined;
  try {
    // Concurrent CREATE SCHEMA IF NOT EXISTS can still fail on a unique violation, hence under the lock.
    await lock.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    // TypeORM orders one migration list by the timestamps in the class names; a separate pass
    // guarantees the kit's tables exist before any service migration, whatever its timestamp.
    await runKitMigrations(options);
    dataSource = new DataSource(
      dataSourceOptions(options, [...kitEntities, ...(options.entities ?? [])], [
        ...kitMigrations,
        ...(options.migrations ?? []),
      ]),
    );
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  } catch (error) {
    if (dataSource?.isInitialized) await dataSource.destroy();
    throw error;
  } finally {
    await lock.release();
  }
}

/** True while some of the DataSource's migrations have not run: the service is not ready. */
export async function hasPendingMigrations(dataSource: DataSource): Promise<boolean> {
  const pending = await new MigrationExecutor(dataSource).getPendingMigrations();
  return pending.length > 0;
}

function dataSourceOptions(
  options: ServiceDataSourceOptions,
  entities: EntityDefinition[],
  migrations: MigrationDefinition[],
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities,
    migrations,
    // The schema changes only through reviewed migrations, never from entity definitions.
    synchronize: false,
    // Run by openServiceDataSource under the advisory lock instead.
    migrationsRun: false,
    migrationsTableName: 'junction_migrations',
    migrationsTransactionMode: 'each',
    // Generated uuids default to gen_random_uuid(), built into Postgres 13+; with installExtensions off
    // TypeORM never tries CREATE EXTENSION, which needs privileges a service should not have.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logging: options.logging ?? false,
    poolSize: options.poolSize,
    // pg's Pool makes its connections with this class.
    extra: { idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS, ...(options.preparedStatements === false ? {} : { Client: PreparingClient }) },
  };
}

async function runKitMigrations(options: ServiceDataSourceOptions): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(options, kitEntities, kitMigrations), poolSize: 1 });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

interface MigrationsLock {
  query(sql: string): Promise<void>;
  release(): Promise<void>;
}

/** Takes the schema's migrations lock on a connection of its own, outside any DataSource pool. */
async function lockMigrations(url: string, schema: string): Promise<MigrationsLock> {
  const client = new Client({ connectionString: url });
  const name = advisoryLockName(schema, MIGRATIONS_LOCK_KEY);
  await client.connect();
  try {
    await client.query(LOCK_SQL, [name]);
  } catch (error) {
    await client.end();
    throw error;
  }
  return {
    query: async (sql) => {
      await client.query(sql);
    },
    release: async () => {
      try {
        await client.query(UNLOCK_SQL, [name]);
      } finally {
        // Ending the session would release the lock anyway; the explicit unlock just makes it immediate.
        await client.end();
      }
    },
  };
}
