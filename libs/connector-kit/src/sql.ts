import type { EntityManager } from 'typeorm';

export interface SqlResult<Row> {
  rows: Row[];
  affected: number;
}

/**
 * Runs one statement on the manager's connection (inside its transaction, if it has one).
 * TypeORM's plain query() returns `[rows, count]` for UPDATE and DELETE but bare rows otherwise;
 * this always returns both, so UPDATE ... RETURNING reads like SELECT.
 */
export async function runSql<Row = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<SqlResult<Row>> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return { rows: result.records ?? [], affected: result.affected ?? 0 };
  } finally {
    if (runner !== manager.queryRunner) await runner.release();
  }
}

/** The first row of a result, or undefined. */
export async function firstRow<Row>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<Row | undefined> {
  const { rows } = await runSql<Row>(manager, sql, params);
  return rows[0];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from outside (an HTTP path, a message) may be anything; Postgres rejects a malformed uuid with an error. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
