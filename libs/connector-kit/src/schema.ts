import type { DataSource, EntityManager, EntityTarget, QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

// Only names Postgres would keep unchanged unquoted (lower case, at most 63 bytes), so a schema is the
// same identifier in SQL, psql and pg_namespace whether or not someone quotes it.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Returns `schema` if it is a valid service schema name, throws otherwise. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)}: expected ${SCHEMA_NAME}`);
  }
  // Postgres reserves the pg_ prefix for system schemas and refuses to create one.
  if (schema.startsWith('pg_')) {
    throw new Error(`invalid schema name ${JSON.stringify(schema)}: the pg_ prefix is reserved`);
  }
  return schema;
}

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The validated schema of a DataSource opened by openServiceDataSource (or of a migration's query runner). */
export function schemaOf(source: DataSource | QueryRunner): string {
  const dataSource = 'connection' in source ? source.connection : source;
  const { schema } = dataSource.options as PostgresConnectionOptions;
  if (schema === undefined) {
    throw new Error('the DataSource has no schema: open it with openServiceDataSource');
  }
  return assertSchemaName(schema);
}

/**
 * `"schema"."table"` for SQL in a migration. Migrations run against whatever schema the service was
 * opened with, so they must never rely on search_path or hard-code a schema.
 */
export function schemaTable(queryRunner: QueryRunner, table: string): string {
  return `${quoteIdent(schemaOf(queryRunner))}.${quoteIdent(table)}`;
}

/** `"schema"."table"` of an entity, for raw SQL in a store. */
export function entityTable(manager: EntityManager, entity: EntityTarget<unknown>): string {
  const { tableName } = manager.connection.getMetadata(entity);
  return `${quoteIdent(schemaOf(manager.connection))}.${quoteIdent(tableName)}`;
}
