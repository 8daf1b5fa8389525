import { detectChanges, type ReadRecord, type StreamPage, type SyncedEntity } from '@junction/connector-runtime';
import type { Page } from '../client';
import type { RsContext } from '../commands/context';

/**
 * Where a page-based pull stands: the page published last and the highest id published as a creation. RepairShopr
 * lists in id order, appends new records at the end and ignores `since_updated_at` (products carry no timestamps at
 * all), so only a full pass finds changed records: every run reads every page. A run whose saved page is not the last
 * one stopped mid-way and resumes there (inclusive); a run whose saved page is the last starts a new pass at page 1.
 */
export interface PageCursor {
  page: number;
  lastId: number;
}

export interface ReadPage<Row> {
  rows: Row[];
  /** Whether a row was announced before: its id is not above the cursor's (a creation is published once). */
  announced(row: Row): boolean;
  cursor: PageCursor;
}

/** Reads the pass the cursor is in (or a new one) to its last page. */
export async function* readPages<Row extends { id: number }>(
  cursor: PageCursor | undefined,
  fetchPage: (page: number) => Promise<Page<Row>>,
): AsyncIterable<ReadPage<Row>> {
  let page = cursor?.page ?? 1;
  let lastId = cursor?.lastId ?? 0;
  let fetched = await fetchPage(page);
  if (page > 1 && page >= fetched.meta.total_pages) {
    // The run before finished its pass on this page: look at every record again.
    page = 1;
    fetched = await fetchPage(page);
  }
  for (;;) {
    const announcedUpTo = lastId;
    const { items, meta } = fetched;
    lastId = Math.max(lastId, ...items.map((row) => row.id));
    yield { rows: items, announced: (row) => row.id <= announcedUpTo, cursor: { page, lastId } };
    if (page >= meta.total_pages) return;
    page += 1;
    fetched = await fetchPage(page);
  }
}

/** A RepairShopr pull stream's pages: creations of new records, updates of changed ones, every record observed. */
export async function* pullChanges<Row extends { id: number }>(
  ctx: RsContext,
  entity: SyncedEntity,
  pages: AsyncIterable<ReadPage<Row>>,
  toRecord: (row: Row) => Omit<ReadRecord, 'announced'>,
): AsyncIterable<StreamPage<PageCursor>> {
  for await (const { rows, announced, cursor } of pages) {
    const read = rows.map((row) => ({ ...toRecord(row), announced: announced(row) }));
    yield { ...(await detectChanges(ctx, entity, read)), cursor };
  }
}
