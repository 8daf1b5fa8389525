import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { POOL_IDLE_TIMEOUT_MS } from './data-source';
import { RateLimitEntity } from './entities';
import { entityTable } from './schema';

export interface PostgresRateLimitStoreOptions {
  /** The longest a call may take, waiting for a connection included; a slower store fails its callers. Default 5 s. */
  timeoutMs?: number;
}

/**
 * vendor-http's `RateLimitStore` in the service's `rate_limits` table: one row per credential with the time its
 * schedule is next free, moved by one atomic statement per call on the database's clock, so every replica books from
 * one schedule. It has a pool of its own: commands hold connections of the DataSource's pool (inbox transaction,
 * ID-map lock) while they wait for the rate limiter, so waiting on that pool could deadlock.
 */
export class PostgresRateLimitStore {
  private readonly pool: Pool;
  private readonly table: string;
  private closed?: Promise<void>;

  constructor(dataSource: DataSource, options: PostgresRateLimitStoreOptions = {}) {
    const { url } = dataSource.options as PostgresConnectionOptions;
    if (!url) throw new Error('PostgresRateLimitStore needs a DataSource opened from a url (openServiceDataSource)');
    this.table = entityTable(dataSource.manager, RateLimitEntity);
    const timeoutMs = options.timeoutMs ?? 5_000;
    this.pool = new Pool({
      connectionString: url,
      max: 2,
      idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
      connectionTimeoutMillis: timeoutMs,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs,
    });
    // A connection that dies while idle (a database restart) leaves the pool; the next call opens another.
    this.pool.on('error', () => undefined);
  }

  /** Books `spanMs` of the key's schedule; resolves with how far ahead of now the booking starts, in ms. */
  async reserve(key: string, spanMs: number): Promise<number> {
    const spanUs = wholeMicroseconds(spanMs);
    const { rows } = await this.pool.query<{ ahead_ms: number }>(
      `INSERT INTO ${this.table} AS limits (key, free_at)
         VALUES ($1, statement_timestamp() + $2::float8 * interval '1 microsecond')
       ON CONFLICT (key) DO UPDATE
         SET free_at = GREATEST(limits.free_at, statement_timestamp()) + $2::float8 * interval '1 microsecond'
       RETURNING (EXTRACT(EPOCH FROM limits.free_at - statement_timestamp()) * 1000)::float8 AS ahead_ms`,
      [key, spanUs],
    );
    return Math.max(0, rows[0].ahead_ms - spanUs / 1000);
  }

  /** Nobody books the key before `forMs` from now; a later time already set stays. */
  async hold(key: string, forMs: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} AS limits (key, free_at)
         VALUES ($1, statement_timestamp() + $2::float8 * interval '1 microsecond')
       ON CONFLICT (key) DO UPDATE SET free_at = GREATEST(limits.free_at, EXCLUDED.free_at)`,
      [key, wholeMicroseconds(forMs)],
    );
  }

  /** Closes the pool once its calls are done. */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}

/** Rounded up to what timestamptz keeps, so rounding never books a schedule shorter than asked. */
function wholeMicroseconds(ms: number): number {
  return Math.ceil(ms * 1000);
}
