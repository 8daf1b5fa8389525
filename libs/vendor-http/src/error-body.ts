import type { Redact } from './redaction';

/** Key under which `fieldErrors` collects messages that name no field (the Rails/ActiveModel convention). */
export const GENERAL_ERRORS = 'base';

export type FieldErrors = Record<string, string[]>;

export interface ErrorBodySummary {
  /** One human-readable line: the vendor's headline and/or its field errors. */
  message?: string;
  fieldErrors: FieldErrors;
}

const EXCERPT_LENGTH = 200;

/**
 * Reads the error shapes our vendors use:
 * - `{errors: {field: [msg] | msg}}` and RetailCRM's `{errorMsg, errors: {...} | [...]}`,
 * - `{errors: [{field, message}]}` and `{errors: [msg]}`,
 * - `{message: msg | [msg]}`, `{error: msg}`, `{errors: msg}` and OAuth's `{error, error_description}`,
 * - RepairShopr's bare field map `{customer_id: ["can't be blank"]}`,
 * - a plain-text body (MiniCRM answers 400 in text).
 */
export function summarizeErrorBody(body: unknown): ErrorBodySummary {
  const fieldErrors: FieldErrors = {};
  const add = (field: string, messages: unknown) => {
    const list = toMessages(messages);
    if (list.length > 0) (fieldErrors[field] ??= []).push(...list);
  };

  if (typeof body === 'string') {
    add(GENERAL_ERRORS, body.trim());
    return { message: fieldErrors[GENERAL_ERRORS]?.[0], fieldErrors };
  }
  if (!isRecord(body)) return { fieldErrors };

  const headline = firstString(
    body.errorMsg,
    body.message,
    body.error_description,
    body.error,
    isRecord(body.error) ? body.error.message : undefined,
  );
  const { errors } = body;
  if (Array.isArray(errors)) {
    for (const entry of errors) {
      if (isRecord(entry)) {
        const field = firstString(entry.field, entry.path, entry.property) ?? GENERAL_ERRORS;
        add(field, entry.message ?? entry.msg ?? entry.error);
      } else {
        add(GENERAL_ERRORS, entry);
      }
    }
  } else if (isRecord(errors)) {
    // ZZap's new API puts its one message at errors.error.
    for (const [field, messages] of Object.entries(errors)) add(field === 'error' ? GENERAL_ERRORS : field, messages);
  } else {
    add(GENERAL_ERRORS, errors);
  }
  if (Array.isArray(body.message)) add(GENERAL_ERRORS, body.message);
  if (isEmpty(fieldErrors) && headline === undefined && isFieldMap(body)) {
    for (const [field, messages] of Object.entries(body)) add(field, messages);
  }
  if (isEmpty(fieldErrors) && headline !== undefined) add(GENERAL_ERRORS, headline);

  return { message: describe(headline, fieldErrors), fieldErrors };
}

/** Whether a 401/403 body says the credential lacks a permission (rather than being wrong). */
export function missingPermissionIn(message: string | undefined): string | undefined {
  return message && /permission|scope|not permitted|access denied|not allowed/i.test(message) ? message : undefined;
}

/**
 * A short, single-line excerpt of a response body. Secrets are redacted before truncating, so a secret cut
 * in half cannot survive; HTML is reduced to its text ('502 Bad Gateway nginx').
 */
export function excerpt(text: string, redact: Redact, maxLength = EXCERPT_LENGTH): string {
  let readable = redact(text);
  if (/^\s*</.test(readable)) {
    readable = readable
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&');
  }
  readable = readable.replace(/\s+/g, ' ').trim();
  return readable.length > maxLength ? `${readable.slice(0, maxLength)}…` : readable;
}

function describe(headline: string | undefined, fieldErrors: FieldErrors): string | undefined {
  const parts = Object.entries(fieldErrors).flatMap(([field, messages]) =>
    messages.map((message) => (field === GENERAL_ERRORS ? message : joinField(field, message))),
  );
  const details = parts.join('; ');
  if (headline === undefined || fieldErrors[GENERAL_ERRORS]?.includes(headline)) return details || undefined;
  return details ? `${headline}: ${details}` : headline;
}

// Rails-style fragments read as a sentence ('email has already been taken'); full sentences get a colon.
function joinField(field: string, message: string): string {
  return /^[a-z]/.test(message) ? `${field} ${message}` : `${field}: ${message}`;
}

function toMessages(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '');
}

function isFieldMap(body: Record<string, unknown>): boolean {
  const values = Object.values(body);
  return values.length > 0 && values.every((value) => Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(record: object): boolean {
  return Object.keys(record).length === 0;
}
