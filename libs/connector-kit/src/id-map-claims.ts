import type { EntityManager } from 'typeorm';
import { IdMapClaimEntity } from './entities';
import type { IdMapScope } from './id-map';
import { entityTable } from './schema';
import { runSql } from './sql';

/** How long a claim outlives its last renewal: a dead owner's claim is free again after this. */
export const CLAIM_TTL_MS = 30_000;

/** A held claim on source keys of one scope; renewed in the background until released. */
export interface IdMapClaim {
  /** The keys this claim holds: those of the asked that were free or expired. */
  readonly sourceKeys: ReadonlySet<string>;
  /**
   * A statement that deletes this claim (no trailing semicolon; its parameters follow `paramOffset`), so the statement
   * recording the keys' mappings can end the claim too: one round trip instead of two.
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

  /**
   * The statement that takes the claims of `claimParams`' keys that are free or expired, returning `source_key` of each
   * one taken; `onlyIf`, a condition on `source_key`, leaves keys out (in IdMap's statement: those already mapped).
   * Parameters: $1 connection, $2 entity type, $3 the keys, $4 the owner, $5 the time to live.
   */
  claimStatement(onlyIf = 'true'): string {
    return `INSERT INTO ${this.table} AS c (connection_id, entity_type, source_key, owner, expires_at)
         SELECT $1, $2, source_key, $4, statement_timestamp() + $5::float8 * interval '1 millisecond'
         FROM unnest($3::text[]) AS source_key WHERE ${onlyIf}
       ON CONFLICT (connection_id, entity_type, source_key) DO UPDATE
         SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
         WHERE c.expires_at < statement_timestamp()
       RETURNING source_key`;
  }

  claimParams(scope: IdMapScope, sourceKeys: readonly string[], owner: string): unknown[] {
    return [scope.connectionId, scope.entityType, [...new Set(sourceKeys)], owner, this.ttlMs];
  }

  /** The claim `owner` took on `claimed` with `claimStatement`, renewed from now on; undefined when it took none. */
  held(scope: IdMapScope, owner: string, claimed: string[]): IdMapClaim | undefined {
    if (claimed.length === 0) return undefined;
    // The claim's rows, its parameters numbered from `at` + 1.
    const ownRows = (at = 0) =>
      `connection_id = $${at + 1} AND entity_type = $${at + 2} AND source_key = ANY($${at + 3}::text[]) AND owner = $${at + 4}`;
    const params = [scope.connectionId, scope.entityType, claimed, owner];
    // A renewal that fails (the database is away) is tried again at the next beat; the expiry leaves room for two.
    const renewal = setInterval(() => {
      runSql(this.manager, `UPDATE ${this.table} SET expires_at = statement_timestamp() + $5::float8 * interval '1 millisecond' WHERE ${ownRows()}`, [
        ...params,
        this.ttlMs,
      ]).catch(() => undefined);
    }, this.ttlMs / 3);
    renewal.unref();
    let ended = false;
    return {
      sourceKeys: new Set(claimed),
      endStatement: (offset) => ({ sql: `DELETE FROM ${this.table} WHERE ${ownRows(offset)}`, params }),
      ended: () => {
        ended = true;
        clearInterval(renewal);
      },
      release: async () => {
        clearInterval(renewal);
        if (ended) return;
        // Unreleased (the database is away), the claim simply expires.
        await runSql(this.manager, `DELETE FROM ${this.table} WHERE ${ownRows()}`, params).catch(() => undefined);
      },
    };
  }
}
