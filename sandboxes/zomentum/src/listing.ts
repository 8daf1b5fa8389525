import { intParam, json, paginate, stringParam, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import { apiError } from './errors';

/** Defaults are our guess; 1000 per page is what a public client uses. */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

const OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains'] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  field: string;
  operator: Operator;
  value: string;
}

/** `filters=status:eq:won;updated_at:gte:2025-01-01T00:00:00Z;` — the value may hold colons (times). */
function parseFilters(text: string | undefined): Filter[] | string {
  const filters: Filter[] = [];
  for (const part of (text ?? '').split(';')) {
    if (part.trim() === '') continue;
    const [field, operator, ...rest] = part.split(':');
    if (!field || rest.length === 0) return `Invalid filter "${part}": expected field:operator:value`;
    if (!OPERATORS.includes(operator as Operator)) return `Invalid filter operator "${operator}"; use one of ${OPERATORS.join(', ')}`;
    filters.push({ field, operator: operator as Operator, value: rest.join(':') });
  }
  return filters;
}

function valueAt(record: object, path: string): unknown {
  let value: unknown = record;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** Numbers compare as numbers, dates as instants, everything else as case-insensitive text. */
function compare(actual: unknown, expected: string): number {
  if (typeof actual === 'number' && expected.trim() !== '' && !Number.isNaN(Number(expected))) return actual - Number(expected);
  if (typeof actual === 'string' && DATE_LIKE.test(actual) && DATE_LIKE.test(expected)) {
    return Date.parse(actual) - Date.parse(expected);
  }
  return String(actual ?? '').toLowerCase().localeCompare(expected.toLowerCase());
}

function matches(record: object, { field, operator, value }: Filter): boolean {
  const actual = valueAt(record, field);
  if (operator === 'contains') return String(actual ?? '').toLowerCase().includes(value.toLowerCase());
  const order = compare(actual, value);
  switch (operator) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'gte':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'lte':
      return order <= 0;
  }
}

/**
 * A Zomentum list: `page` (1-based) and `limit`, `filters`, and with `count_query_flag=true` the total in
 * `filtered_count_map.all`, from which clients compute the page count.
 */
export function listReply<T extends object>(request: SandboxRequest, records: T[], present: (record: T) => unknown): Reply {
  const filters = parseFilters(stringParam(request.query, 'filters'));
  if (typeof filters === 'string') return apiError(400, filters);
  const limit = intParam(request.query, 'limit') ?? DEFAULT_LIMIT;
  const page = intParam(request.query, 'page') ?? 1;
  if (limit < 1 || limit > MAX_LIMIT) return apiError(400, `limit must be between 1 and ${MAX_LIMIT}`);
  if (page < 1) return apiError(400, 'page must be 1 or more');
  const matching = records.filter((record) => filters.every((filter) => matches(record, filter)));
  const { items } = paginate(matching, page, limit);
  const counted = stringParam(request.query, 'count_query_flag') === 'true';
  return json(200, { data: items.map(present), ...(counted ? { filtered_count_map: { all: matching.length } } : {}) });
}
