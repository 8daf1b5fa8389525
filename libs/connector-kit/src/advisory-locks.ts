import type { DataSource, EntityManager } from 'typeorm';
import { schemaOf } from './schema';

/**
 * The text an advisory lock is keyed by. Prefixed with the schema so two services (or two test runs)
 * sharing one database never contend for each other's locks. The kit's own keys start with 'kit:'.
 */
export function advisoryLockName(schema: string, key: string): string {
  return `${schema}:${key}`;
}

// hashtextextended gives a 64-bit key, so distinct names practically never share a lock.
export const LOCK_SQL = 'SELECT pg_advisory_lock(hashtextextended($1, 0))';
export const UNLOCK_SQL = 'SELECT pg_advisory_unlock(hashtextextended($1, 0))';
const TRY_LOCK_SQL = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS acquired';

export type LockResult<T> = { acquired: true; result: T } | { acquired: false };

/** Work done under a lock; `manager` runs on the connection that holds it. */
export type LockedWork<T> = (manager: EntityManager) => Promise<T>;

/**
 * Cluster-wide mutual exclusion on Postgres session advisory locks, e.g. so only one replica refreshes
 * an OAuth token at a time. A holder that dies loses its connection and with it the lock.
 */
export class AdvisoryLocks {
  private readonly schema: string;

  constructor(private readonly dataSource: DataSource) {
    this.schema = schemaOf(dataSource);
  }

  /**
   * Runs `fn` while holding the lock named `key`. With `wait: false` it returns `{ acquired: false }`
   * at once when another session holds the lock. `fn` receives a manager on the connection that holds
   * the lock (not in a transaction); the lock keeps that pooled connection busy until `fn` settles.
   */
  withLock<T>(key: string, fn: LockedWork<T>, options: { wait: true }): Promise<{ acquired: true; result: T }>;
  withLock<T>(key: string, fn: LockedWork<T>, options: { wait: boolean }): Promise<LockResult<T>>;
  async withLock<T>(key: string, fn: LockedWork<T>, options: { wait: boolean }): Promise<LockResult<T>> {
    const name = advisoryLockName(this.schema, key);
    // Session locks belong to a connection, so lock, work and unlock all happen on this one.
    const runner = this.dataSource.createQueryRunner();
    try {
      if (options.wait) {
        await runner.query(LOCK_SQL, [name]);
      } else {
        const [{ acquired }] = await runner.query(TRY_LOCK_SQL, [name]);
        if (!acquired) return { acquired: false };
      }
      try {
        return { acquired: true, result: await fn(runner.manager) };
      } finally {
        // Unlock before the connection goes back to the pool, or the next borrower would hold it.
        await runner.query(UNLOCK_SQL, [name]);
      }
    } finally {
      await runner.release();
    }
  }
}
