import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource, EntityManager } from 'typeorm';
import { IdMapEntity, type IdMapOrigin } from './entities';
import { IdMapClaims, type IdMapClaim } from './id-map-claims';
import { entityTable } from './schema';
import { firstRow, runSql } from './sql';

/** Which source record, on which connection: the key of one ID map entry. */
export interface IdMapKey {
  connectionId: string;
  entityType: string;
  sourceKey: string;
}

export interface IdMapEntry extends IdMapKey {
  externalId: string;
  origin: IdMapOrigin;
  fingerprint: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface IdMapRecordInput extends IdMapKey {
  externalId: string;
  origin: IdMapOrigin;
  /** A hash of what was written or read, to recognise our own echo and unchanged records; omitted = null. */
  fingerprint?: string | null;
}

export interface IdMapSize {
  connectionId: string;
  entityType: string;
  entries: number;
}

export interface EnsureSteps {
  /** Finds the record at the vendor by its natural key (e-mail, SKU...); undefined when there is none. */
  lookupExisting: () => Promise<string | undefined>;
  /** Creates the record at the vendor and returns its id. */
  create: () => Promise<string>;
}

export type EnsureOutcome = 'mapped' | 'found_existing' | 'created';

export interface EnsureResult {
  externalId: string;
  outcome: EnsureOutcome;
}

/** What a batch create did for one key: the vendor record made or found, or the error that refused this key alone. */
export type CreatedRecord = { externalId: string; outcome: Exclude<EnsureOutcome, 'mapped'> } | Error;

export interface EnsureManySteps {
  /**
   * Creates the records of these source keys (unmapped, and claimed by the caller) in as few vendor calls as it can.
   * Answers each key: `created`, `found_existing` when the vendor already had it under the key's natural key (an
   * earlier attempt created it and lost the answer), or the error that refused that key.
   */
  createMany: (sourceKeys: string[]) => Promise<Map<string, CreatedRecord>>;
}

/** Which connection and entity type a batch of source keys belongs to. */
export type IdMapScope = Omit<IdMapKey, 'sourceKey'>;

const ENTRY_COLUMNS = `
  connection_id AS "connectionId", entity_type AS "entityType", source_key AS "sourceKey",
  external_id AS "externalId", origin, fingerprint, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Which vendor record each source record became, per connection. Every vendor write goes through it. */
export class IdMap {
  private readonly manager: EntityManager;
  private readonly claims: IdMapClaims;
  private readonly table: string;
  /** `findOrClaim`'s statement, made once: every `ensure` runs it. */
  private readonly findOrClaimSql: string;

  constructor(dataSource: DataSource) {
    this.manager = dataSource.manager;
    this.claims = new IdMapClaims(this.manager);
    this.table = entityTable(this.manager, IdMapEntity);
    this.findOrClaimSql = `WITH mapped AS (
         SELECT source_key, external_id FROM ${this.table}
         WHERE connection_id = $1 AND entity_type = $2 AND source_key = ANY($3::text[])
       ), claimed AS (${this.claims.claimStatement('source_key NOT IN (SELECT source_key FROM mapped)')})
       SELECT source_key AS "sourceKey", external_id AS "externalId" FROM mapped
       UNION ALL SELECT source_key, NULL FROM claimed`;
  }

  find(connectionId: string, entityType: string, sourceKey: string): Promise<IdMapEntry | undefined> {
    return this.findIn(this.manager, { connectionId, entityType, sourceKey });
  }

  /** The mappings of several keys of one connection, any entity types, in one query: each key's entry or undefined, in order. */
  async findMany(connectionId: string, keys: ReadonlyArray<Omit<IdMapKey, 'connectionId'>>): Promise<Array<IdMapEntry | undefined>> {
    if (keys.length === 0) return [];
    const { rows } = await runSql<IdMapEntry>(
      this.manager,
      `SELECT ${ENTRY_COLUMNS} FROM ${this.table}
       WHERE connection_id = $1 AND (entity_type, source_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [connectionId, keys.map((key) => key.entityType), keys.map((key) => key.sourceKey)],
    );
    const entries = new Map(rows.map((entry) => [keyOf(entry), entry]));
    return keys.map((key) => entries.get(keyOf(key)));
  }

  /** The mapping that points at a vendor record; the oldest one when several source records share it. */
  findByExternalId(connectionId: string, entityType: string, externalId: string): Promise<IdMapEntry | undefined> {
    return firstRow<IdMapEntry>(
      this.manager,
      `SELECT ${ENTRY_COLUMNS} FROM ${this.table}
       WHERE connection_id = $1 AND entity_type = $2 AND external_id = $3
       ORDER BY created_at, source_key
       LIMIT 1`,
      [connectionId, entityType, externalId],
    );
  }

  /** Which of these vendor records the connection wrote itself (origin 'written'), in one query. */
  async writtenExternalIds(connectionId: string, entityType: string, externalIds: readonly string[]): Promise<Set<string>> {
    if (externalIds.length === 0) return new Set();
    const { rows } = await runSql<{ externalId: string }>(
      this.manager,
      `SELECT DISTINCT external_id AS "externalId" FROM ${this.table}
       WHERE connection_id = $1 AND entity_type = $2 AND external_id = ANY($3::text[]) AND origin = 'written'`,
      [connectionId, entityType, [...new Set(externalIds)]],
    );
    return new Set(rows.map((row) => row.externalId));
  }

  /** How many entries each connection holds per entity type (the ID map size metric). */
  async sizes(): Promise<IdMapSize[]> {
    const { rows } = await runSql<IdMapSize>(
      this.manager,
      `SELECT connection_id AS "connectionId", entity_type AS "entityType", count(*)::int AS entries
       FROM ${this.table} GROUP BY connection_id, entity_type ORDER BY connection_id, entity_type`,
    );
    return rows;
  }

  /** Inserts or replaces the mapping of a source record. Recording the same mapping again changes nothing. */
  record(input: IdMapRecordInput): Promise<IdMapEntry> {
    return this.recordIn(this.manager, input);
  }

  /**
   * Returns the vendor record for `key`, creating it at most once: look up the ID map; else look for it
   * at the vendor by natural key (we may have crashed between the vendor's 201 and our record); else
   * create it; record the mapping right away. Concurrent calls for one key, in any replica, take turns
   * on the key's claim (`IdMapClaims`), which a lost database connection does not release, so `create`
   * never runs twice for the same key.
   */
  async ensure(key: IdMapKey, steps: EnsureSteps): Promise<EnsureResult> {
    for (let waitMs = 25; ; waitMs = Math.min(waitMs * 2, 500)) {
      const { mapped, claim } = await this.findOrClaim(key, [key.sourceKey]);
      const externalId = mapped.get(key.sourceKey);
      if (externalId !== undefined) return { externalId, outcome: 'mapped' };
      if (!claim) {
        await sleep(waitMs);
        continue;
      }
      try {
        return await this.lookUpOrCreate(key, steps, claim);
      } finally {
        await claim.release();
      }
    }
  }

  /**
   * `ensure` for many keys of one scope with one batch create: mapped keys are answered from the map; the others are
   * claimed (keys another owner is creating are waited for, as `ensure` does), looked up again under the claims, and
   * what is still missing goes to `createMany`, whose records are mapped as soon as it answers. A key `createMany`
   * refuses gets its error and no mapping; a failing `createMany` fails the whole batch, recording nothing.
   */
  async ensureMany(scope: IdMapScope, sourceKeys: readonly string[], steps: EnsureManySteps): Promise<Map<string, EnsureResult | Error>> {
    const results = new Map<string, EnsureResult | Error>();
    let pending = [...new Set(sourceKeys)];
    if (pending.length === 0) return results;
    for (let waitMs = 25; ; waitMs = Math.min(waitMs * 2, 500)) {
      const { mapped, claim } = await this.findOrClaim(scope, pending);
      for (const [sourceKey, externalId] of mapped) results.set(sourceKey, { externalId, outcome: 'mapped' });
      const busy = pending.filter((sourceKey) => !mapped.has(sourceKey) && !claim?.sourceKeys.has(sourceKey));
      if (claim) {
        try {
          // Whoever held a claim before us may have just created and recorded it.
          const missing = await this.mapInto(results, scope, [...claim.sourceKeys]);
          if (missing.length > 0) await this.createMissing(results, scope, missing, steps, claim);
        } finally {
          await claim.release();
        }
      }
      if (busy.length === 0) return results;
      pending = busy;
      await sleep(waitMs);
    }
  }

  /** Number of mappings, of one connection or of all. */
  async count(connectionId?: string): Promise<number> {
    const row = await firstRow<{ count: number }>(
      this.manager,
      `SELECT count(*)::int AS count FROM ${this.table} WHERE $1::text IS NULL OR connection_id = $1`,
      [connectionId ?? null],
    );
    return row?.count ?? 0;
  }

  /** Forgets every mapping of a connection (when it is deleted); returns how many there were. */
  async deleteByConnection(connectionId: string): Promise<number> {
    const { affected } = await runSql(this.manager, `DELETE FROM ${this.table} WHERE connection_id = $1`, [
      connectionId,
    ]);
    return affected;
  }

  /**
   * One statement: the mapped ones of `sourceKeys`, and the claims of the others that are free or expired. The claims
   * are taken on the statement's snapshot, older than a record whose claim ended while it ran: look the claimed keys up
   * again before creating them.
   */
  private async findOrClaim(scope: IdMapScope, sourceKeys: readonly string[]): Promise<{ mapped: Map<string, string>; claim?: IdMapClaim }> {
    const owner = randomUUID();
    const { rows } = await runSql<{ sourceKey: string; externalId: string | null }>(
      this.manager,
      this.findOrClaimSql,
      this.claims.claimParams(scope, sourceKeys, owner),
    );
    const mapped = new Map(rows.flatMap((row) => (row.externalId === null ? [] : [[row.sourceKey, row.externalId] as const])));
    const claimed = rows.flatMap((row) => (row.externalId === null ? [row.sourceKey] : []));
    return { mapped, claim: this.claims.held(scope, owner, claimed) };
  }

  /** Under the key's claim: the record the map got meanwhile, else the vendor's by natural key, else a new one. */
  private async lookUpOrCreate(key: IdMapKey, steps: EnsureSteps, claim: IdMapClaim): Promise<EnsureResult> {
    const mappedMeanwhile = await this.findIn(this.manager, key);
    if (mappedMeanwhile) return { externalId: mappedMeanwhile.externalId, outcome: 'mapped' };
    const existing = await steps.lookupExisting();
    if (existing !== undefined) {
      await this.recordIn(this.manager, { ...key, externalId: existing, origin: 'written' }, claim);
      return { externalId: existing, outcome: 'found_existing' };
    }
    const created = await steps.create();
    await this.recordIn(this.manager, { ...key, externalId: created, origin: 'written' }, claim);
    return { externalId: created, outcome: 'created' };
  }

  /** Answers the mapped ones of `sourceKeys` in `results` (one query); resolves the others. */
  private async mapInto(results: Map<string, EnsureResult | Error>, scope: IdMapScope, sourceKeys: string[]): Promise<string[]> {
    if (sourceKeys.length === 0) return [];
    const { rows } = await runSql<{ sourceKey: string; externalId: string }>(
      this.manager,
      `SELECT source_key AS "sourceKey", external_id AS "externalId" FROM ${this.table}
       WHERE connection_id = $1 AND entity_type = $2 AND source_key = ANY($3::text[])`,
      [scope.connectionId, scope.entityType, sourceKeys],
    );
    for (const row of rows) results.set(row.sourceKey, { externalId: row.externalId, outcome: 'mapped' });
    return sourceKeys.filter((sourceKey) => !results.has(sourceKey));
  }

  private async createMissing(
    results: Map<string, EnsureResult | Error>,
    scope: IdMapScope,
    sourceKeys: string[],
    steps: EnsureManySteps,
    claim: IdMapClaim,
  ): Promise<void> {
    const created = await steps.createMany(sourceKeys);
    const written: Array<{ sourceKey: string; externalId: string }> = [];
    for (const sourceKey of sourceKeys) {
      const record = created.get(sourceKey) ?? new Error(`the batch create gave no answer for ${sourceKey}`);
      if (!(record instanceof Error)) written.push({ sourceKey, externalId: record.externalId });
      results.set(sourceKey, record);
    }
    await this.upsert(this.manager, scope, written.map((row) => ({ ...row, origin: 'written' as const })), claim);
  }

  private findIn(manager: EntityManager, key: IdMapKey): Promise<IdMapEntry | undefined> {
    return firstRow<IdMapEntry>(
      manager,
      `SELECT ${ENTRY_COLUMNS} FROM ${this.table}
       WHERE connection_id = $1 AND entity_type = $2 AND source_key = $3`,
      [key.connectionId, key.entityType, key.sourceKey],
    );
  }

  /** Records the mapping; with the key's claim, the same statement ends it. */
  private async recordIn(manager: EntityManager, input: IdMapRecordInput, claim?: IdMapClaim): Promise<IdMapEntry> {
    const [upserted] = await this.upsert(manager, input, [input], claim);
    if (upserted) return upserted;
    const unchanged = await this.findIn(manager, input);
    if (!unchanged) throw new Error(`id_map entry ${JSON.stringify(input)} vanished while being recorded`);
    return unchanged;
  }

  /**
   * Inserts or replaces the mappings of `rows` in one statement, which also ends `claim` when given; returns the
   * entries it changed. The WHERE makes a repeated record a no-op (updated_at unchanged): it returns no row.
   */
  private async upsert(
    manager: EntityManager,
    scope: IdMapScope,
    rows: ReadonlyArray<Omit<IdMapRecordInput, keyof IdMapScope>>,
    claim?: IdMapClaim,
  ): Promise<IdMapEntry[]> {
    // Nothing to record: the caller releases the claim.
    if (rows.length === 0) return [];
    const ending = claim?.endStatement(6);
    const { rows: upserted } = await runSql<IdMapEntry>(
      manager,
      `${ending ? `WITH ended_claim AS (${ending.sql}) ` : ''}INSERT INTO ${this.table} AS m (connection_id, entity_type, source_key, external_id, origin, fingerprint)
         SELECT $1, $2, source_key, external_id, origin, fingerprint
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS r(source_key, external_id, origin, fingerprint)
       ON CONFLICT (connection_id, entity_type, source_key) DO UPDATE
         SET external_id = EXCLUDED.external_id, origin = EXCLUDED.origin,
             fingerprint = EXCLUDED.fingerprint, updated_at = now()
         WHERE (m.external_id, m.origin, m.fingerprint)
           IS DISTINCT FROM (EXCLUDED.external_id, EXCLUDED.origin, EXCLUDED.fingerprint)
       RETURNING ${ENTRY_COLUMNS}`,
      [
        scope.connectionId,
        scope.entityType,
        rows.map((row) => row.sourceKey),
        rows.map((row) => row.externalId),
        rows.map((row) => row.origin),
        rows.map((row) => row.fingerprint ?? null),
        ...(ending?.params ?? []),
      ],
    );
    claim?.ended();
    return upserted;
  }
}

/** A map key for an entity type and source key (NUL cannot occur in either). */
function keyOf({ entityType, sourceKey }: Omit<IdMapKey, 'connectionId'>): string {
  return `${entityType}\u0000${sourceKey}`;
}
