import { query } from '@junction/e2e/test/support';

/** How often the tables are looked at; autovacuum's default naptime is a minute, which a bench run barely lasts. */
const NAPTIME_MS = 5_000;

/**
 * Analyzes the tables of these schemas that autovacuum would analyze: rows changed since the last ANALYZE above 50
 * plus a tenth of the table (`autovacuum_analyze_threshold` and `_scale_factor`, Postgres's defaults). Its CPU is the
 * server's, as autovacuum's would be.
 */
export async function analyzeChangedTables(schemas: readonly string[]): Promise<void> {
  const tables = await query<{ name: string }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = ANY($1::text[]) AND s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)`,
    [schemas],
  );
  if (tables.length > 0) await query(`ANALYZE ${tables.map((table) => table.name).join(', ')}`);
}

/**
 * Autovacuum's ANALYZE for a stack, on a server that runs without autovacuum (as this machine's does). In a
 * deployment autovacuum keeps the planner's statistics fresh as tables grow; without it, the plans of the services'
 * prepared statements stay those made for the tables' first rows: a lookup by primary key read the whole table, 1.3
 * ms a call instead of 0.02, at a few thousand rows.
 */
export class Autoanalyze {
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly schemas: readonly string[],
    private readonly onError: (err: unknown) => void,
  ) {
    this.schedule();
  }

  /** Waits for a pass under way, and starts no other. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.pass = analyzeChangedTables(this.schemas)
        .catch(this.onError)
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, NAPTIME_MS);
  }
}
