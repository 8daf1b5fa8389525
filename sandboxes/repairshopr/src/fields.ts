import { intParam, paginate, type ParamObject } from '@junction/sandbox-kit';

export type FieldKind = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'integers';

/**
 * Picks the writable fields from a JSON or form body. Form bodies (which RepairShopr accepts too) carry only
 * strings, so booleans and numbers are read from `"true"`/`"1"`/`"12.5"`; other unknown keys are ignored,
 * as Rails' strong parameters do.
 */
export function pickFields(body: unknown, fields: Record<string, FieldKind>): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const source = body as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(fields)) {
    if (field in source) picked[field] = coerce(source[field], kind);
  }
  return picked;
}

function coerce(value: unknown, kind: FieldKind): unknown {
  if (value === null || value === undefined || value === '') return kind === 'string' ? (value ?? null) : null;
  switch (kind) {
    case 'string':
      return String(value);
    case 'boolean':
      return value === true || value === 'true' || value === '1' || value === 1;
    case 'integer':
      return Number.isInteger(Number(value)) ? Number(value) : null;
    case 'number':
      return Number.isFinite(Number(value)) ? Number(value) : null;
    case 'integers':
      return (Array.isArray(value) ? value : [value]).map(Number).filter(Number.isInteger);
    case 'object':
      return typeof value === 'object' ? value : {};
  }
}

/** Rails renders BigDecimal as `"9.99"`, `"10.0"`, `"0.0"`. */
export function decimalString(value: number): string {
  const rounded = String(Number(value.toFixed(4)));
  return rounded.includes('.') ? rounded : `${rounded}.0`;
}

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function isTruthyParam(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** One page and the `meta` every RepairShopr list carries: `{ total_pages, total_entries, per_page, page }`. */
export function pageOf<T>(items: T[], query: ParamObject, perPage: number) {
  const page = paginate(items, Math.max(1, intParam(query, 'page') ?? 1), perPage);
  return {
    items: page.items,
    meta: { total_pages: page.totalPages, total_entries: page.totalEntries, per_page: page.perPage, page: page.page },
  };
}

/** `sort=firstname ASC` / `sort=updated_at DESC` on any field; unknown fields leave the default id order. */
export function sortBy<T extends object>(items: T[], sort: string | undefined): T[] {
  const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(sort ?? '');
  if (!match || !items.some((item) => match[1] in item)) return items;
  const field = match[1] as keyof T;
  const direction = match[2]?.toLowerCase() === 'desc' ? -1 : 1;
  return [...items].sort((a, b) => direction * compare(a[field], b[field]));
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Case-insensitive "like" match of RepairShopr's name filters. */
export function contains(value: unknown, needle: string): boolean {
  return typeof value === 'string' && value.toLowerCase().includes(needle.toLowerCase());
}
