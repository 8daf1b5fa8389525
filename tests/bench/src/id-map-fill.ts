import { query } from '@junction/e2e/test/support';

/**
 * Tops a connector's ID map up to `rows` entries with mappings of the given connection, as years of syncing would
 * leave it, in one `generate_series` insert; answers the rows it holds afterwards. Each fill numbers its keys on from the
 * rows present, so they meet neither a real key nor an earlier fill's. The run's `settle` then refreshes the statistics.
 */
export async function fillIdMap(schema: string, connectionId: string, entityType: string, rows: number): Promise<number> {
  const table = `"${schema}".id_map`;
  const count = async () => (await query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`))[0].count;
  const present = await count();
  if (present < rows) {
    await query(
      `INSERT INTO ${table} (connection_id, entity_type, source_key, external_id, origin)
       SELECT $1, $2, 'bench-filler:' || n, n::text, 'written' FROM generate_series($3::int, $4::int) AS n`,
      [connectionId, entityType, present + 1, rows],
    );
  }
  return count();
}
