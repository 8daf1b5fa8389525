import type { PulledRecord, StreamPage } from '@junction/connector-runtime';
import type { Page } from '../client';

/**
 * Where a page-based pull resumes: the page read last and the highest id on it. RepairShopr lists in id order and
 * appends new records at the end, so the next run re-reads that page (inclusive boundary) and skips what it saw.
 */
export interface PageCursor {
  page: number;
  lastId: number;
}

/** Reads pages from the cursor to the last page, yielding only records newer than the cursor's id. */
export async function* readPages<Row extends { id: number }>(
  cursor: PageCursor | undefined,
  fetchPage: (page: number) => Promise<Page<Row>>,
  toRecord: (row: Row) => PulledRecord,
): AsyncIterable<StreamPage<PageCursor>> {
  let page = cursor?.page ?? 1;
  let lastId = cursor?.lastId ?? 0;
  for (;;) {
    const { items, meta } = await fetchPage(page);
    const fresh = items.filter((row) => row.id > lastId);
    lastId = Math.max(lastId, ...fresh.map((row) => row.id));
    yield { records: fresh.map(toRecord), cursor: { page, lastId } };
    if (page >= meta.total_pages) return;
    page += 1;
  }
}
