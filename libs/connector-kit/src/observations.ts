import type { DataSource, EntityManager } from 'typeorm';
import { ObservationEntity } from './entities';
import { entityTable } from './schema';
import { runSql } from './sql';

/** One observed value of a vendor record, e.g. kind 'order_status', key the order id, value the status id. */
export interface Observation {
  kind: string;
  key: string;
  value: string;
}

/**
 * What a connection last saw (or wrote) of vendor records, for vendors that only tell the current state: a pull
 * compares a record with its observation to tell a status change from an unrelated update, and a connector that
 * writes a status records it so the next pull does not echo Junction's own change back.
 */
export class Observations {
  private readonly manager: EntityManager;
  private readonly table: string;

  constructor(dataSource: DataSource) {
    this.manager = dataSource.manager;
    this.table = entityTable(this.manager, ObservationEntity);
  }

  /** The observed values of these keys; keys never observed are absent from the map. */
  async getMany(connectionId: string, kind: string, keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const { rows } = await runSql<{ key: string; value: string }>(
      this.manager,
      `SELECT key, value FROM ${this.table} WHERE connection_id = $1 AND kind = $2 AND key = ANY($3::text[])`,
      [connectionId, kind, [...new Set(keys)]],
    );
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  /** Stores the values (the last one wins for a repeated key); pass `manager` to join a transaction. */
  async setMany(
    connectionId: string,
    observations: readonly Observation[],
    manager: EntityManager = this.manager,
  ): Promise<void> {
    if (observations.length === 0) return;
    const latest = new Map(observations.map((entry) => [`${entry.kind}\u0000${entry.key}`, entry]));
    const entries = [...latest.values()];
    await runSql(
      manager,
      `INSERT INTO ${this.table} (connection_id, kind, key, value)
       SELECT $1, kind, key, value FROM unnest($2::text[], $3::text[], $4::text[]) AS o(kind, key, value)
       ON CONFLICT (connection_id, kind, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
         WHERE ${this.table}.value IS DISTINCT FROM EXCLUDED.value`,
      [connectionId, entries.map((e) => e.kind), entries.map((e) => e.key), entries.map((e) => e.value)],
    );
  }

  /** Forgets every observation of a connection (when it is deleted). */
  async deleteByConnection(connectionId: string): Promise<number> {
    const { affected } = await runSql(this.manager, `DELETE FROM ${this.table} WHERE connection_id = $1`, [
      connectionId,
    ]);
    return affected;
  }
}
