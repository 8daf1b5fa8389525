import { quoteIdent, schemaOf } from '@junction/connector-kit';
import type { EntityManager } from 'typeorm';

/** `"schema"."table"` for raw SQL: the DataSource's schema is the service's, never search_path. */
export function qualifiedTable(manager: EntityManager, table: string): string {
  return `${quoteIdent(schemaOf(manager.connection))}.${quoteIdent(table)}`;
}
