import { Client } from 'pg';

/** Statement texts one process prepares; any further text runs unnamed, so generated SQL cannot grow them without end. */
const MAX_PREPARED_TEXTS = 500;

const names = new Map<string, string>();

/**
 * The same name for the same text in every connection of the process; it says what the statement does (`select_id_map_4`)
 * because traces name a prepared statement's span after it.
 */
function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_PREPARED_TEXTS) {
    const operation = /^\s*(\w+)/.exec(text)?.[1].toLowerCase() ?? 'statement';
    const table = /\b(?:FROM|INTO|UPDATE)\s+(?:"?\w+"?\.)?"?(\w+)"?/i.exec(text)?.[1];
    name = [operation, table, names.size + 1].filter(Boolean).join('_');
    names.set(text, name);
  }
  return name;
}

type Query = (this: Client, config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * A pg client that runs every statement with parameters as a named prepared statement: Postgres parses and plans it
 * once per connection instead of at each call, which halves the server's CPU for a key lookup. Statements without
 * parameters (BEGIN, COMMIT) stay simple queries. The result types of prepared statements are fixed, so statements
 * name their columns (a migration that adds a column then changes none of them).
 */
export class PreparingClient extends Client {}

Object.defineProperty(PreparingClient.prototype, 'query', {
  value: function query(this: Client, config: unknown, values?: unknown, callback?: unknown): unknown {
    // Looked up at each call: telemetry's pg instrumentation wraps Client.prototype.query after this module loads.
    const base = (Client.prototype as unknown as { query: Query }).query;
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = statementName(config);
      if (name !== undefined) return base.call(this, { name, text: config, values }, callback);
    }
    return base.call(this, config, values, callback);
  },
  writable: true,
  configurable: true,
});
