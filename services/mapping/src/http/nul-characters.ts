import type { ApiIssue } from './api-error';

const NUL = '\u0000';

/**
 * Where a request's text holds U+0000, which Postgres can store in neither text nor jsonb: found at the boundary it
 * is the caller's 400, not a failed query's 500 here or in a connector. Object keys are text too (maps of settings).
 */
export function nulCharacterIssues(value: unknown, path: string[] = []): ApiIssue[] {
  const issue = (at: string[]): ApiIssue => ({ path: at.join('.'), message: 'must not contain NUL characters (\\u0000)' });
  if (typeof value === 'string') return value.includes(NUL) ? [issue(path)] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulCharacterIssues(item, [...path, String(index)]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key.includes(NUL) ? [issue([...path, key])] : []),
    ...nulCharacterIssues(inner, [...path, key]),
  ]);
}
