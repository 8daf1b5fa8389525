import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { IdMapClaimEntity } from './entities';
import type { IdMapKey } from './id-map';
import { entityTable } from './schema';
import { runSql } from './sql';

/** How long a claim outlives its last renewal: a dead owner's claim is free again after this. */
export const CLAIM_TTL_MS = 30_000;

/** A held claim; renewed in the background until released. */
export interface IdMapClaim {
  /**
   * A statement that deletes this claim (no trailing semicolon; its parameters follow `paramOffset`), so the statement
   * recording the key's mapping can end the claim too: one round trip instead of two.
   */
  endStatement(paramOffset: number): { sql: string; params: unknown[] };
  /** The claim was deleted by a statement from `endStatement`: stops renewing it; `release` then has nothing to do. */
  ended(): void;
  release(): Promise<void>;
}

/**
 * Who is creating the vendor record of an ID map key right now: a committed row with an owner and an expiry,
 * renewed while the owner works. Unlike a session advisory lock it survives the loss of the owner's database
 * connection (a Postgres restart or failover): a create still in flight keeps its claim, so nobody else looks the
 * record up and creates it again meanwhile. An owner that died loses its claim when it expires.
 */
export class IdMapClaims {
  private readonly table: string;

  constructor(
    private readonly manager: EntityManager,
    private readonly ttlMs = CLAIM_TTL_MS,
  ) {
    this.table = entityTable(manager, IdMapClaimEntity);
  }

  /** Takes the key's claim if it is free or expired; undefined while another owner holds it. */
  async tryClaim(key: IdMapKey): Promise<IdMapClaim | undefined> {
    const owner = randomUUID();
    const { rows } = await runSql(
      this.manager,
      `INSERT INTO ${this.table} AS c (connection_id, entity_type, source_key, owner, expires_at)
         VALUES ($1, $2, $3, $4, statement_timestamp() + $5::float8 * interval '1 millisecond')
       ON CONFLICT (connection_id, entity_type, source_key) DO UPDATE
         SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
         WHERE c.expires_at < statement_timestamp()
       RETURNING owner`,
      [key.connectionId, key.entityType, key.sourceKey, owner, this.ttlMs],
    );
    if (rows.length === 0) return undefined;
    // The claim's row, its parameters numbered from `at` + 1.
    const ownRow = (at = 0) => `connection_id = $${at + 1} AND entity_type = $${at + 2} AND source_key = $${at + 3} AND owner = $${at + 4}`;
    const where = ownRow();
    const params = [key.connectionId, key.entityType, key.sourceKey, owner];
    // A renewal that fails (the database is away) is tried again at the next beat; the expiry leaves room for two.
    const renewal = setInterval(() => {
      runSql(this.manager, `UPDATE ${this.table} SET expires_at = statement_timestamp() + $5::float8 * interval '1 millisecond' WHERE ${where}`, [
        ...params,
        this.ttlMs,
      ]).catch(() => undefined);
    }, this.ttlMs / 3);
    renewal.unref();
    let ended = false;
    return {
      endStatement: (offset) => ({
        sql: `DELETE FROM ${this.table} WHERE ${ownRow(offset)}`,
        params,
      }),
      ended: () => {
        ended = true;
        clearInterval(renewal);
      },
      release: async () => {
        clearInterval(renewal);
        if (ended) return;
        // Unreleased (the database is away), the claim simply expires.
        await runSql(this.manager, `DELETE FROM ${this.table} WHERE ${where}`, params).catch(() => undefined);
      },
    };
  }
}
