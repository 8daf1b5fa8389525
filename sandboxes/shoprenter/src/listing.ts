import { json, stringParam, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { Caller } from './auth';
import { apiError } from './errors';

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 200;

export interface ListOptions<T> {
  /** Collection path after the API root, e.g. `/orders`. */
  path: string;
  /** `{href}` form of an item, for lists without `full=1`. */
  href: (item: T) => string;
  /** Full forms of one page's items, for `full=1` (a whole page at once, so related records are read once). */
  present: (items: T[]) => object[];
  /** The orders fixtures leave `pageCount` out; most other collections have it. */
  withPageCount: boolean;
}

function pageLink(caller: Caller, request: SandboxRequest, path: string, page: number, limit: number): string {
  const query = new URLSearchParams(request.search);
  query.delete('page');
  query.delete('limit');
  query.set('page', String(page));
  query.set('limit', String(limit));
  return `${caller.baseUrl}${path}?${query.toString()}`;
}

/** Shoprenter's list envelope: 0-based `page`, `limit` ≤ 200, first/previous/next/last links, no total count. */
export function listReply<T>(request: SandboxRequest, caller: Caller, items: readonly T[], options: ListOptions<T>): Reply {
  const pageText = stringParam(request.query, 'page') ?? '0';
  const limitText = stringParam(request.query, 'limit') ?? String(DEFAULT_LIMIT);
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > MAX_LIMIT) {
    return apiError(400, 40005, `limit must be an integer between 1 and ${MAX_LIMIT}`);
  }
  const limit = Number(limitText);
  const pageCount = Math.ceil(items.length / limit);
  const lastPage = Math.max(0, pageCount - 1);
  if (!/^\d+$/.test(pageText) || Number(pageText) > lastPage) {
    return apiError(400, 40008, `Page out of range: minimum page is 0 and maximum page is ${lastPage}`);
  }
  const page = Number(pageText);
  const full = stringParam(request.query, 'full') === '1';
  const pageItems = items.slice(page * limit, (page + 1) * limit);
  const link = (target: number) => ({ href: pageLink(caller, request, options.path, target, limit) });
  return json(200, {
    href: pageLink(caller, request, options.path, page, limit),
    page: String(page),
    ...(options.withPageCount ? { pageCount: String(pageCount) } : {}),
    limit: String(limit),
    first: link(0),
    previous: page > 0 ? link(page - 1) : null,
    next: page < lastPage ? link(page + 1) : null,
    last: link(lastPage),
    items: full ? options.present(pageItems) : pageItems.map((item) => ({ href: options.href(item) })),
  });
}
