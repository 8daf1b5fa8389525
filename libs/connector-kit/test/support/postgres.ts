import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { openServiceDataSource } from '../../src';

export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A schema name no other test file or run uses. */
export function randomSchema(): string {
  return `kit_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on a fresh connection, outside any DataSource under test. */
export async function query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(sql, params);
    return result.rows as Row[];
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

export interface ServiceSchema {
  readonly schema: string;
  readonly dataSource: DataSource;
}

/** Opens a DataSource on a fresh random schema before the file's tests and drops the schema after them. */
export function useServiceSchema(): ServiceSchema {
  const schema = randomSchema();
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    dataSource = await openServiceDataSource({ url: databaseUrl, schema });
  });
  afterAll(async () => {
    try {
      await dataSource?.destroy();
    } finally {
      await dropSchema(schema);
    }
  });
  return {
    schema,
    get dataSource() {
      if (!dataSource) throw new Error('the DataSource opens in beforeAll');
      return dataSource;
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
