import { REDACTED, isSecretKey } from './secret-keys';
import { stripUrlSecrets } from './url-redaction';

// Shorter values would match ordinary text everywhere and blank out whole log lines.
const MIN_SECRET_LENGTH = 4;
// Guards against walking huge object graphs (sockets, ORM entities) when they end up in a log call.
const MAX_DEPTH = 12;
const TRUNCATED = '[Truncated]';

/**
 * The set of secret values this process knows about (credentials, API keys, the encryption key).
 * Logs and error messages pass through `scrub`/`scrubDeep` so none of them is ever written out.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  // Rebuilt lazily after register(): one alternation of every registered value and its encoded forms.
  private pattern: RegExp | undefined;

  /** Adds a secret value; values shorter than 4 characters (blanks aside) are ignored. */
  register(value: string): void {
    if (typeof value !== 'string' || value.trim().length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    this.pattern = undefined;
  }

  /** Replaces every registered value, and its URL-encoded and base64 forms, with '[REDACTED]'. */
  scrub(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= buildPattern(this.values);
    return text.replace(this.pattern, REDACTED);
  }

  /**
   * Returns a JSON-shaped deep copy with every string scrubbed and the values of secret-looking keys
   * replaced. Errors stay errors (same prototype, scrubbed message, stack and properties); URL objects
   * become redacted strings; other class instances become plain objects of their enumerable fields.
   */
  scrubDeep<T>(value: T): T {
    return this.copy(value, new WeakMap(), 0) as T;
  }

  /** Strips userinfo and secret-looking query parameters from a URL, then scrubs registered values. */
  redactUrl(url: string): string {
    return this.scrub(stripUrlSecrets(url));
  }

  private copy(value: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value);
    if (depth >= MAX_DEPTH) return TRUNCATED;
    if (value instanceof Date) return new Date(value.getTime());
    if (value instanceof URL) return this.redactUrl(value.href);
    if (value instanceof Error) return this.copyError(value, seen, depth);
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      seen.set(value, items);
      for (const item of value) items.push(this.copy(item, seen, depth + 1));
      return items;
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.copy(toJSON.call(value), seen, depth + 1);
    const fields: Record<string, unknown> = {};
    seen.set(value, fields);
    for (const [key, field] of Object.entries(value)) {
      fields[key] = this.copyField(key, field, seen, depth);
    }
    return fields;
  }

  private copyError(error: Error, seen: WeakMap<object, unknown>, depth: number): Error {
    const copy = Object.create(Object.getPrototypeOf(error)) as Error;
    seen.set(error, copy);
    for (const key of Object.getOwnPropertyNames(error)) {
      const field = (error as unknown as Record<string, unknown>)[key];
      Object.defineProperty(copy, key, {
        value: this.copyField(key, field, seen, depth),
        enumerable: Object.getOwnPropertyDescriptor(error, key)?.enumerable ?? false,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }

  private copyField(key: string, field: unknown, seen: WeakMap<object, unknown>, depth: number): unknown {
    // A missing credential (null/undefined) is useful to see and reveals nothing.
    if (isSecretKey(key) && field !== null && field !== undefined) return REDACTED;
    return this.copy(field, seen, depth + 1);
  }
}

function buildPattern(values: Iterable<string>): RegExp {
  const forms = new Set<string>();
  for (const value of values) {
    for (const form of encodedForms(value)) forms.add(form);
  }
  // Longest first, so a secret that contains another one is replaced whole.
  const alternatives = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(alternatives.join('|'), 'g');
}

function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [value, bytes.toString('base64'), bytes.toString('base64url')];
  try {
    forms.push(encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2));
  } catch {
    // encodeURIComponent rejects lone surrogates; such a value cannot appear URL-encoded anyway.
  }
  return forms;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The process-wide registry every Junction library registers secrets with and scrubs through. */
export const secretRegistry = new SecretRegistry();

/** `secretRegistry.scrubDeep`, for call sites that scrub a value before logging or returning it. */
export function scrubDeep<T>(value: T): T {
  return secretRegistry.scrubDeep(value);
}

/** `secretRegistry.redactUrl`: a URL safe to log or put in an error message. */
export function redactUrl(url: string): string {
  return secretRegistry.redactUrl(url);
}
