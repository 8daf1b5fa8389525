import { json, text, type Reply } from '@junction/sandbox-kit';

/** MiniCRM answers errors as plain text, not JSON. */
export const badRequest = (message: string) => text(400, message);
export const notFound = () => text(404, 'Not found');
export const methodNotAllowed = (message: string) => text(405, message);

/** Fixed page size of every search. */
export const PAGE_SIZE = 100;

/**
 * The search envelope: `Count` of all matches and one 0-based `Page` of `Results` keyed by id. An empty search
 * answers `"Results": []` (a PHP empty array; our guess).
 */
export function results<T>(items: T[], page: number, id: (item: T) => number, present: (item: T) => object): Reply {
  const slice = items.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const keyed = slice.length === 0 ? [] : Object.fromEntries(slice.map((item) => [String(id(item)), present(item)]));
  return json(200, { Count: items.length, Results: keyed });
}

/** The `Page` parameter, or a 400 for a malformed one. */
export function pageParam(value: string | undefined): number | Reply {
  if (value === undefined) return 0;
  return /^\d+$/.test(value) ? Number(value) : badRequest(`Invalid value '${value}' for the Page parameter.`);
}
