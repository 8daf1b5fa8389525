import type { Observation } from '@junction/connector-kit';
import type { FailedRecord, PulledRecord, StreamPage } from '@junction/connector-runtime';
import { filters, PAGE_LIMIT, type ZListPage } from '../client';

/**
 * Where a pull resumes. A run lists everything with `field >= since` (inclusive: records stamped the same instant
 * as the last one seen are read again and deduplicated by their event ids), page by page in Zomentum's stable
 * order; `page` is the last page published, so a crashed run resumes after it. A finished run moves `since` to the
 * latest timestamp it saw.
 */
export interface ChangeCursor {
  since?: string;
  page: number;
  latest?: string;
}

export interface ChangeQuery<Row> {
  /** The timestamp the cursor follows: updated_at reads changed records again too (a new record's equals its created_at). */
  field: 'created_at' | 'updated_at';
  /** Further filters, e.g. status = won. */
  where?: Array<[string, string, string]>;
  fetchPage(page: number, filter: string): Promise<ZListPage<Row>>;
  toRecords(rows: Row[]): Promise<{ records: PulledRecord[]; failed?: FailedRecord[]; observations?: Observation[] }>;
}

function later(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) > Date.parse(a) ? b : a;
}

export async function* readChanges<Row extends { created_at?: string; updated_at: string }>(
  cursor: ChangeCursor | undefined,
  query: ChangeQuery<Row>,
): AsyncIterable<StreamPage<ChangeCursor>> {
  const since = cursor?.since;
  let latest = cursor?.latest ?? since;
  const filter = filters(...(query.where ?? []), ...(since ? [[query.field, 'gte', since] as [string, string, string]] : []));
  for (let page = (cursor?.page ?? 0) + 1; ; page++) {
    const { items, total } = await query.fetchPage(page, filter);
    for (const row of items) latest = later(latest, row[query.field] ?? row.updated_at);
    const read = await query.toRecords(items);
    const finished = page * PAGE_LIMIT >= total || items.length === 0;
    yield { ...read, cursor: finished ? { since: latest, page: 0, latest } : { since, page, latest }, total };
    if (finished) return;
  }
}
