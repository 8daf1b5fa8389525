import { STATUS_CODES } from 'node:http';
import { scrubPersonalData, scrubPersonalFields } from '@junction/telemetry';
import type { ZodError } from 'zod';
import { excerpt, missingPermissionIn, summarizeErrorBody, type FieldErrors } from './error-body';
import type { Redact } from './redaction';

export type VendorErrorCode =
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'validation' // 400, 422
  | 'client_error' // any other 4xx
  | 'unexpected_status' // a status that is neither success nor 4xx/5xx
  | 'rate_limited' // 429 (or what the vendor's isRateLimited says is one)
  | 'server_error' // 5xx
  | 'timeout' // our timeout, or the vendor's 408
  | 'connection_failed' // no connection was made (refused, DNS): the request never left
  | 'network' // the connection broke after the request was sent
  | 'invalid_response'; // a success status with a body that is not JSON or fails the schema

export interface VendorErrorFields {
  vendor: string;
  method: string;
  /** Path and query as requested, credentials and personal data redacted; never the base URL's host. */
  path: string;
  status?: number;
  statusText?: string;
  code: VendorErrorCode;
  /** Transient: the same operation may succeed later (a consumer naks instead of dead-lettering). */
  retryable: boolean;
  retryAfterMs?: number;
  bodyExcerpt?: string;
  /** What went wrong, appended to the message (the vendor's own words when it gave some). */
  reason?: string;
  cause?: Error;
}

/**
 * Every field and the message are redacted by the factories below before an error is built: no credential, and no
 * e-mail address or phone number (vendors echo what they refused), since errors end up in logs, dead letters and the
 * runs view.
 */
export class VendorHttpError extends Error {
  override name = 'VendorHttpError';
  readonly vendor: string;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly code: VendorErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly bodyExcerpt?: string;

  constructor(fields: VendorErrorFields) {
    super(formatMessage(fields), fields.cause ? { cause: fields.cause } : undefined);
    this.vendor = fields.vendor;
    this.method = fields.method;
    this.path = fields.path;
    this.status = fields.status;
    this.code = fields.code;
    this.retryable = fields.retryable;
    this.retryAfterMs = fields.retryAfterMs;
    this.bodyExcerpt = fields.bodyExcerpt;
  }
}

export class VendorAuthError extends VendorHttpError {
  override name = 'VendorAuthError';
  /** The vendor's words when it says the credential lacks a permission, as opposed to being wrong. */
  readonly missingPermission?: string;

  constructor(fields: VendorErrorFields & { missingPermission?: string }) {
    super(fields);
    this.missingPermission = fields.missingPermission;
  }
}

export class VendorNotFoundError extends VendorHttpError {
  override name = 'VendorNotFoundError';
}

export class VendorValidationError extends VendorHttpError {
  override name = 'VendorValidationError';
  /** Messages per field; messages that name no field are under `base`. */
  readonly fieldErrors: FieldErrors;

  constructor(fields: VendorErrorFields & { fieldErrors: FieldErrors }) {
    super(fields);
    this.fieldErrors = fields.fieldErrors;
  }
}

export class VendorRateLimitError extends VendorHttpError {
  override name = 'VendorRateLimitError';
}

export class VendorUnavailableError extends VendorHttpError {
  override name = 'VendorUnavailableError';
  /**
   * A non-idempotent request whose outcome is unknown (timed out, lost its response, 500/502/504): the vendor
   * may have committed it, so look the record up by its natural key before writing it again.
   */
  readonly maybeCommitted: boolean;

  constructor(fields: VendorErrorFields & { maybeCommitted: boolean }) {
    super(fields);
    this.maybeCommitted = fields.maybeCommitted;
  }
}

export interface SchemaIssue {
  path: string;
  message: string;
}

export class VendorSchemaError extends VendorHttpError {
  override name = 'VendorSchemaError';
  readonly issues: SchemaIssue[];

  constructor(fields: VendorErrorFields & { issues: SchemaIssue[] }) {
    super(fields);
    this.issues = fields.issues;
  }
}

/** The request an error is about, with `path` already redacted. */
export interface FailedRequest {
  vendor: string;
  method: string;
  path: string;
  idempotent: boolean;
}

export interface FailedResponse {
  status: number;
  statusText: string;
  text: string;
  /** The parsed JSON body, or the text when it is not JSON. */
  body: unknown;
  retryAfterMs?: number;
  rateLimited: boolean;
}

// Statuses after which a non-idempotent request may have been carried out by the vendor.
const OUTCOME_UNKNOWN_STATUSES = new Set([500, 502, 504]);
const MESSAGE_DETAIL_LENGTH = 300;

export function errorFromResponse(request: FailedRequest, response: FailedResponse, redact: Redact): VendorHttpError {
  const { status } = response;
  const scrub = quotable(redact);
  // A text body (MiniCRM's 400s, an HTML error page) is read as a short readable excerpt.
  const body =
    typeof response.body === 'string' ? excerpt(response.body, scrub, MESSAGE_DETAIL_LENGTH) : scrubPersonalFields(response.body);
  const summary = summarizeErrorBody(body);
  const bodyExcerpt = response.text ? bodyExcerptOf(response.text, redact) : undefined;
  const reason = summary.message ? excerpt(summary.message, scrub, MESSAGE_DETAIL_LENGTH) : bodyExcerpt;
  const fields = {
    ...requestFields(request),
    status,
    statusText: response.statusText || STATUS_CODES[status],
    retryAfterMs: response.retryAfterMs,
    bodyExcerpt,
    reason,
  };

  if (response.rateLimited) return new VendorRateLimitError({ ...fields, code: 'rate_limited', retryable: true });
  if (status === 401 || status === 403) {
    return new VendorAuthError({
      ...fields,
      code: status === 401 ? 'unauthorized' : 'forbidden',
      retryable: false,
      missingPermission: missingPermissionIn(reason),
    });
  }
  if (status === 404) return new VendorNotFoundError({ ...fields, code: 'not_found', retryable: false });
  if (status === 400 || status === 422) {
    return new VendorValidationError({
      ...fields,
      code: 'validation',
      retryable: false,
      fieldErrors: redactFieldErrors(summary.fieldErrors, scrub),
    });
  }
  // 408: the vendor gave up waiting for our request, so it did not act on it.
  if (status === 408) return new VendorUnavailableError({ ...fields, code: 'timeout', retryable: true, maybeCommitted: false });
  if (status >= 500) {
    return new VendorUnavailableError({
      ...fields,
      code: 'server_error',
      retryable: true,
      maybeCommitted: !request.idempotent && OUTCOME_UNKNOWN_STATUSES.has(status),
    });
  }
  const code = status >= 400 ? 'client_error' : 'unexpected_status';
  return new VendorHttpError({ ...fields, code, retryable: false });
}

// Error codes from Node's resolver and socket layer meaning no connection was ever made.
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A request that threw: our timeout, or a connection that failed or broke. */
export function errorFromException(request: FailedRequest, error: unknown, redact: Redact): VendorHttpError {
  const fields = requestFields(request);
  const thrown = asErrorLike(error);
  if (thrown.name === 'TimeoutError') {
    return new VendorUnavailableError({
      ...fields,
      code: 'timeout',
      retryable: true,
      reason: 'timed out waiting for the response',
      maybeCommitted: !request.idempotent,
    });
  }
  // The socket error, or an error wrapping it as `cause`; only its code and message are kept,
  // the socket object and anything else hanging off it stay behind.
  const underlying = thrown.cause === undefined ? thrown : asErrorLike(thrown.cause);
  const description = quotable(redact)(underlying.message);
  const cause = Object.assign(new Error(description), underlying.code === undefined ? {} : { code: underlying.code });
  const connected = !(underlying.code !== undefined && NOT_CONNECTED_CODES.has(underlying.code));
  return new VendorUnavailableError({
    ...fields,
    code: connected ? 'network' : 'connection_failed',
    retryable: true,
    reason: `${connected ? 'connection lost' : 'could not connect'}: ${description}`,
    maybeCommitted: connected && !request.idempotent,
    cause,
  });
}

// Duck-typed: errors from Node internals (undici, DOMException) may come from another realm than our Error.
function asErrorLike(value: unknown): { name?: string; message: string; code?: string; cause?: unknown } {
  if (typeof value !== 'object' || value === null) return { message: String(value) };
  const { name, message, code, cause } = value as Record<string, unknown>;
  return {
    name: typeof name === 'string' ? name : undefined,
    message: typeof message === 'string' ? message : String(value),
    code: typeof code === 'string' ? code : undefined,
    cause,
  };
}

export function invalidJsonError(
  request: FailedRequest,
  response: { status: number; statusText: string; text: string; contentType: string | null },
  redact: Redact,
): VendorSchemaError {
  return new VendorSchemaError({
    ...requestFields(request),
    status: response.status,
    statusText: response.statusText || STATUS_CODES[response.status],
    code: 'invalid_response',
    retryable: false,
    bodyExcerpt: bodyExcerptOf(response.text, redact),
    reason: `response is not valid JSON (${response.contentType ?? 'no content-type'}): ${bodyExcerptOf(response.text, redact, 80)}`,
    issues: [],
  });
}

export function schemaError(
  request: FailedRequest,
  response: { status: number; statusText: string; text: string },
  error: ZodError,
  redact: Redact,
): VendorSchemaError {
  const scrub = quotable(redact);
  const issues = error.issues.map((issue) => ({
    path: scrub(issue.path.map(String).join('.')) || '(root)',
    // zod prefixes every type mismatch with 'Invalid input: ', which says nothing here.
    message: scrub(issue.message.replace(/^Invalid input: /, '')),
  }));
  const shown = issues.slice(0, 5).map((issue) => `${issue.path}: ${issue.message}`);
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return new VendorSchemaError({
    ...requestFields(request),
    status: response.status,
    statusText: response.statusText || STATUS_CODES[response.status],
    code: 'invalid_response',
    retryable: false,
    bodyExcerpt: bodyExcerptOf(response.text, redact),
    reason: `response does not match the expected schema: ${shown.join('; ')}`,
    issues,
  });
}

/** Secrets redacted, then e-mail addresses and phone numbers scrubbed: what an error may quote of an exchange. */
function quotable(redact: Redact): Redact {
  return (text) => scrubPersonalData(redact(text));
}

/** The request's part of an error; contact parameters of the query (`email=`, `Phone=`) go as well. */
function requestFields(request: FailedRequest): Pick<VendorErrorFields, 'vendor' | 'method' | 'path'> {
  const [route, query] = request.path.split(/\?(.*)/s);
  const scrubbed = query?.split('&').map((pair) => {
    const [name, value] = pair.split(/=(.*)/s);
    return value === undefined ? pair : `${name}=${String(scrubPersonalFields(value, name))}`;
  });
  const path = scrubPersonalData(route) + (scrubbed ? `?${scrubbed.join('&')}` : '');
  return { vendor: request.vendor, method: request.method, path };
}

/** A short excerpt of a response body, quotable; a JSON body loses what its contact fields hold, whatever its shape. */
function bodyExcerptOf(text: string, redact: Redact, maxLength?: number): string {
  let document = text;
  try {
    document = JSON.stringify(scrubPersonalFields(JSON.parse(text)));
  } catch {
    // Not JSON: scrubbed as text.
  }
  return excerpt(document, quotable(redact), maxLength);
}

function formatMessage(fields: VendorErrorFields): string {
  const status = fields.status === undefined ? undefined : `${fields.status} ${fields.statusText ?? ''}`.trim();
  const details = [status, fields.reason].filter(Boolean).join(': ');
  return `${fields.vendor} ${fields.method} ${fields.path} failed: ${details}`;
}

function redactFieldErrors(fieldErrors: FieldErrors, redact: Redact): FieldErrors {
  return Object.fromEntries(
    Object.entries(fieldErrors).map(([field, messages]) => [redact(field), messages.map((message) => redact(message))]),
  );
}
