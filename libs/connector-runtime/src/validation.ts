import type { z } from 'zod';

// A reply names a few problems; the rest would only bury the first one.
const MAX_LISTED_ISSUES = 5;

/** A request the caller can fix: the message names the fields, never their values. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/** 'settings.subdomain: Invalid input: expected string, received undefined; ...' */
export function describeIssues(error: z.ZodError, prefix?: string): string {
  const listed = error.issues.slice(0, MAX_LISTED_ISSUES).map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Parses `value` or throws an InvalidRequestError whose message names the failing fields under `prefix`. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, prefix?: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, prefix));
  return result.data;
}
