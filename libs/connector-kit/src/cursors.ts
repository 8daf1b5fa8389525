import type { DataSource, EntityManager } from 'typeorm';
import { CursorEntity } from './entities';
import { entityTable } from './schema';
import { firstRow, runSql } from './sql';

/** Where each stream of a connection has read up to. */
export class Cursors {
  private readonly manager: EntityManager;
  private readonly table: string;

  constructor(dataSource: DataSource) {
    this.manager = dataSource.manager;
    this.table = entityTable(this.manager, CursorEntity);
  }

  /** The stream's cursor, or undefined before its first committed batch (and after a reset). */
  async get<T>(connectionId: string, stream: string): Promise<T | undefined> {
    const row = await firstRow<{ value: T }>(
      this.manager,
      `SELECT value FROM ${this.table} WHERE connection_id = $1 AND stream = $2`,
      [connectionId, stream],
    );
    return row?.value;
  }

  /**
   * Moves the cursor. Call it only after the batch it covers is durable (events published, writes
   * committed); pass `manager` to move it inside the transaction that made the batch durable.
   */
  async set<T>(connectionId: string, stream: string, value: T, manager: EntityManager = this.manager): Promise<void> {
    if (value === undefined) throw new TypeError('a cursor value cannot be undefined: use reset() to clear it');
    // Serialized here: node-postgres would turn an array into a Postgres array and a string into text.
    await runSql(
      manager,
      `INSERT INTO ${this.table} (connection_id, stream, value) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (connection_id, stream) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [connectionId, stream, JSON.stringify(value)],
    );
  }

  /** Forgets the cursor so the next run reads the stream from the start (full resync). */
  async reset(connectionId: string, stream: string): Promise<boolean> {
    const { affected } = await runSql(
      this.manager,
      `DELETE FROM ${this.table} WHERE connection_id = $1 AND stream = $2`,
      [connectionId, stream],
    );
    return affected > 0;
  }
}
