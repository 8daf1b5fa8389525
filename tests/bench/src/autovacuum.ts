import { DATABASE_URL, query } from '@junction/e2e/test/support';
import { Client } from 'pg';

/** How often the tables are looked at; autovacuum's default naptime is a minute, which a bench run barely lasts. */
const NAPTIME_MS = 5_000;

type RunSql = <Row>(sql: string, params?: unknown[]) => Promise<Row[]>;

/**
 * Vacuums and analyzes the tables of these schemas that autovacuum would, by Postgres's default thresholds: a vacuum
 * once dead rows pass 50 plus a fifth of the table, or inserts since the last vacuum 1,000 plus a fifth; an analyze
 * once rows changed since the last one pass 50 plus a tenth. Its CPU is the server's, as autovacuum's would be.
 */
export async function vacuumAndAnalyze(schemas: readonly string[], run: RunSql = query): Promise<void> {
  const tables = await run<{ name: string; vacuum: boolean; analyze: boolean }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name,
            s.n_dead_tup > 50 + 0.2 * GREATEST(c.reltuples, 0)
              OR s.n_ins_since_vacuum > 1000 + 0.2 * GREATEST(c.reltuples, 0) AS vacuum,
            s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0) AS analyze
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = ANY($1::text[])`,
    [schemas],
  );
  const names = (which: (table: (typeof tables)[number]) => boolean) => tables.filter(which).map((table) => table.name);
  const vacuum = names((table) => table.vacuum);
  const analyze = names((table) => table.analyze && !table.vacuum);
  if (vacuum.length > 0) await run(`VACUUM (ANALYZE) ${vacuum.join(', ')}`);
  if (analyze.length > 0) await run(`ANALYZE ${analyze.join(', ')}`);
}

/**
 * Autovacuum for a stack, on a server that runs without it (as this machine's does). In a deployment autovacuum
 * keeps the planner's statistics fresh as tables grow and clears the dead rows of the tables whose rows come and go
 * (ID map claims, parked commands); without it, the plans of the services' prepared statements stay those made for
 * the tables' first rows: a lookup by primary key read the whole table, 1.3 ms a call instead of 0.02, at a few
 * thousand rows.
 */
export class Autovacuum {
  /** Paced as autovacuum's workers are by default (2 ms pauses per 200 cost units), so a pass never hogs a core. */
  private readonly client = new Client({ connectionString: DATABASE_URL, options: '-c vacuum_cost_delay=2 -c vacuum_cost_limit=200' });
  private readonly connected: Promise<void>;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly schemas: readonly string[],
    private readonly onError: (err: unknown) => void,
  ) {
    this.connected = this.client.connect();
    this.schedule();
  }

  /** Waits for a pass under way, starts no other, and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pass;
    await this.connected.then(() => this.client.end()).catch(this.onError);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.pass = this.connected
        .then(() => vacuumAndAnalyze(this.schemas, async (sql, params) => (await this.client.query(sql, params)).rows))
        .catch(this.onError)
        .finally(() => {
          if (!this.stopped) this.schedule();
        });
    }, NAPTIME_MS);
  }
}
