export interface Page<T> {
  items: T[];
  /** 1-based, as asked (a page past the end is empty, not an error). */
  page: number;
  perPage: number;
  totalEntries: number;
  /** 0 when there are no entries. */
  totalPages: number;
}

/** Cuts one 1-based page; each vendor then wraps it in its own envelope (`meta`, `pagination`, `Count`…). */
export function paginate<T>(items: readonly T[], page: number, perPage: number): Page<T> {
  const start = (page - 1) * perPage;
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    totalEntries: items.length,
    totalPages: Math.ceil(items.length / perPage),
  };
}
