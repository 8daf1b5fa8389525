export interface PageResult<T, C> {
  items: T[];
  /** The cursor of the following page; absent on the last page. */
  next?: C;
}

export interface Page<T, C> extends PageResult<T, C> {
  /** The cursor this page was fetched with (undefined for the first page unless a start was given). */
  cursor: C | undefined;
}

/**
 * Walks pages until one has no `next`. Yields whole pages, not items, so a stream can publish a page's
 * records and commit its cursor before the next page is fetched.
 */
export async function* paginate<T, C = number | string>(
  fetchPage: (cursor: C | undefined) => Promise<PageResult<T, C>>,
  start?: C,
): AsyncGenerator<Page<T, C>, void, undefined> {
  let cursor = start;
  for (;;) {
    const page = await fetchPage(cursor);
    yield { items: page.items, next: page.next, cursor };
    if (page.next === undefined || page.next === null) return;
    // A vendor handing back the same cursor would otherwise loop forever.
    if (page.next === cursor) throw new Error(`pagination did not advance past cursor ${String(cursor)}`);
    cursor = page.next;
  }
}
