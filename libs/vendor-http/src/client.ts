import { setTimeout as sleep } from 'node:timers/promises';
import type { Span } from '@opentelemetry/api';
import { request as httpRequest } from 'undici';
import type { IncomingHttpHeaders } from 'undici/types/header';
import type { ZodType } from 'zod';
import {
  VendorHttpError,
  VendorRateLimitError,
  errorFromException,
  errorFromResponse,
  invalidJsonError,
  schemaError,
  type FailedRequest,
} from './errors';
import type { RateLimiter } from './rate-limiter';
import { REDACTED, createRedactor, credentialsInHeaders, isSensitiveParam, type Redact } from './redaction';
import { DEFAULT_RETRY_POLICY, backoffDelayMs, isIdempotentMethod, parseRetryAfter, shouldRetry, type RetryPolicy } from './retry';
import { createVendorMetrics, recordResponse, recordRetryEvent, traceAttempt, type VendorMetrics } from './telemetry';

export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Returns credentials fresh for each attempt, so a refreshed token is picked up by the next one. */
export type CredentialProvider = () => Promise<Record<string, string>> | Record<string, string>;

export type QueryValue = string | number | boolean | null | undefined;
/** Arrays repeat the key (`filter[ids][]=1&filter[ids][]=2`); null and undefined are left out. */
export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;
/** Objects and arrays are sent as JSON text in their field (RetailCRM: `order={"externalId":...}`). */
export type FormFields = Record<string, unknown>;

export interface VendorHttpClientOptions {
  /** Connector name, used in error messages and metrics. */
  vendor: string;
  baseUrl: string;
  /** Auth headers, e.g. `{ Authorization: 'Bearer …' }`. Their values are redacted from every error. */
  auth?: CredentialProvider;
  /** Auth query parameters, e.g. `{ apiKey }` for RetailCRM. Left out of error paths and redacted. */
  authQuery?: CredentialProvider;
  rateLimiter?: RateLimiter;
  /** Identifies the credential in the rate limiter (e.g. the connection id or a hash of the token, never the token). */
  rateLimitKey: string;
  /** Per attempt, until the whole body is read. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Values to redact from every error message, path and body excerpt, besides the auth values. */
  secrets?: readonly string[];
  /** Applied after `secrets`, e.g. the process-wide secret registry's scrub. */
  redact?: Redact;
  /**
   * Called on a 401, at most once per request (concurrent callers share one call). Resolve true when the
   * credential was renewed: the request is then repeated once with fresh auth.
   */
  onUnauthorized?: () => Promise<boolean>;
  /** For vendors that signal rate limits otherwise than with 429 (RetailCRM: 503 "Rate limit exceeded"). */
  isRateLimited?: (status: number, body: unknown) => boolean;
  userAgent?: string;
}

interface RequestOptions {
  method: HttpMethod;
  /** Relative to `baseUrl`. */
  path: string;
  query?: QueryParams;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: FormFields;
  headers?: Record<string, string>;
  /** Statuses treated as success; any 2xx when absent. */
  okStatuses?: readonly number[];
  /** Defaults by method: GET, HEAD, OPTIONS, PUT and DELETE are idempotent. */
  idempotent?: boolean;
  /** 'text' hands the raw body to the schema (ZZap's legacy API answers XML). Default 'json'. */
  responseType?: 'json' | 'text';
}

export interface VendorRequest<T> extends RequestOptions {
  schema: ZodType<T>;
}

export type VendorRawRequest<T = unknown> = RequestOptions & { schema?: ZodType<T> };

/** An answer's headers, by case-insensitive name (repeated headers joined with ', ', as the Fetch API does). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface VendorResponse<T = unknown> {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON (undefined for an empty body), or text with `responseType: 'text'`. */
  body: T;
}

const DEFAULT_TIMEOUT_MS = 20_000;

interface Credentials {
  headers: Record<string, string>;
  query: Record<string, string>;
}

export class VendorHttpClient {
  private readonly retryPolicy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly metrics: VendorMetrics;
  /** Bumped by each successful renewal, to tell a stale credential's 401 from the current one's. */
  private authGeneration = 0;
  private renewal?: Promise<boolean>;

  constructor(private readonly options: VendorHttpClientOptions) {
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.metrics = createVendorMetrics();
  }

  /** Sends the request (with retries) and returns the body checked against `schema`. */
  async request<T>(request: VendorRequest<T>): Promise<T> {
    return (await this.requestRaw(request)).body;
  }

  /** Like `request`, but also returns status and headers (e.g. for pagination headers); `schema` is optional. */
  requestRaw<T>(request: VendorRequest<T>): Promise<VendorResponse<T>>;
  requestRaw(request: VendorRawRequest): Promise<VendorResponse<unknown>>;
  async requestRaw(request: VendorRawRequest): Promise<VendorResponse> {
    if (request.body !== undefined && request.form !== undefined) {
      throw new TypeError('A request takes either a JSON body or form fields, not both');
    }
    const idempotent = request.idempotent ?? isIdempotentMethod(request.method);
    let authRenewed = false;
    for (let attempt = 1; ; attempt++) {
      const rateLimitWaitMs = await this.waitForRateLimit();
      // Read after the rate-limit wait, so a credential renewed meanwhile is the one sent.
      const authGeneration = this.authGeneration;
      const credentials = await this.credentials();
      try {
        return await this.attempt(request, idempotent, credentials, { attempt, rateLimitWaitMs });
      } catch (error) {
        if (!(error instanceof VendorHttpError)) throw error;
        if (error.status === 401 && !authRenewed && this.options.onUnauthorized) {
          authRenewed = true;
          if (await this.renewAuth(authGeneration, this.options.onUnauthorized)) continue;
        }
        const delayMs = error.retryAfterMs ?? backoffDelayMs(attempt, this.retryPolicy);
        // A 429 spends the credential's allowance for every caller, not just this one.
        if (error instanceof VendorRateLimitError) this.options.rateLimiter?.penalize(this.options.rateLimitKey, delayMs);
        if (attempt >= this.retryPolicy.maxAttempts || !shouldRetry(error, idempotent)) throw error;
        // Only a Retry-After exceeds maxDelayMs; waiting that long is the caller's call (a redelivery with that delay).
        if (delayMs > this.retryPolicy.maxDelayMs) throw error;
        recordRetryEvent(attempt, delayMs, error.code, { vendor: this.options.vendor, 'http.request.method': request.method });
        await sleep(delayMs);
      }
    }
  }

  /** Resolves how long the rate limiter held the attempt back, in ms. */
  private async waitForRateLimit(): Promise<number> {
    if (!this.options.rateLimiter) return 0;
    const waitedMs = await this.options.rateLimiter.acquire(this.options.rateLimitKey);
    this.metrics.rateLimitWait.record(waitedMs / 1000, { vendor: this.options.vendor });
    return waitedMs;
  }

  private async credentials(): Promise<Credentials> {
    const [headers, query] = await Promise.all([this.options.auth?.() ?? {}, this.options.authQuery?.() ?? {}]);
    return { headers, query };
  }

  private async attempt(
    request: VendorRawRequest,
    idempotent: boolean,
    credentials: Credentials,
    pacing: { attempt: number; rateLimitWaitMs: number },
  ): Promise<VendorResponse> {
    const { headers: authHeaders, query: authQuery } = credentials;
    const redact = createRedactor(
      [
        ...(this.options.secrets ?? []),
        ...credentialsInHeaders(authHeaders),
        ...Object.values(authQuery),
        ...sensitiveValues(request),
      ],
      this.options.redact,
    );
    const failed: FailedRequest = {
      vendor: this.options.vendor,
      method: request.method,
      // Only an error reads it.
      get path() {
        return redact(displayPath(request.path, request.query));
      },
      idempotent,
    };
    const url = this.url(request, authQuery);
    const headers = this.headers(request, authHeaders);
    const description = { vendor: this.options.vendor, method: request.method, url: new URL(url), ...pacing };
    return traceAttempt(description, headers, async (span) => {
      const timeout = abortAfter(this.timeoutMs);
      try {
        const exchange = { method: request.method, headers, body: encodeBody(request), signal: timeout.signal };
        const answer = await this.send(url, exchange, failed, redact, span);
        return this.interpret(request, answer, failed, redact);
      } finally {
        timeout.clear();
      }
    });
  }

  /**
   * One HTTP exchange, body included, counted, timed and told on the attempt's span. undici's `request` rather than
   * `fetch`: the same client without the WHATWG streams and objects, which were a tenth of a connector's CPU.
   */
  private async send(url: string, exchange: Exchange, failed: FailedRequest, redact: Redact, span: Span): Promise<Answer> {
    const started = performance.now();
    const record = (outcome: Record<string, string | number>) => {
      const attributes = { vendor: this.options.vendor, 'http.request.method': failed.method, ...outcome };
      this.metrics.requests.add(1, attributes);
      this.metrics.requestDuration.record((performance.now() - started) / 1000, attributes);
    };
    try {
      const response = await httpRequest(url, exchange);
      const text = await response.body.text();
      record({ 'http.response.status_code': response.statusCode });
      recordResponse(span, response.statusCode);
      return { status: response.statusCode, statusText: response.statusText, headers: responseHeaders(response.headers), text };
    } catch (error) {
      const failure = errorFromException(failed, error, redact);
      record({ 'error.type': failure.code });
      throw failure;
    }
  }

  private interpret(request: VendorRawRequest, answer: Answer, failed: FailedRequest, redact: Redact): VendorResponse {
    const { status, statusText, headers, text } = answer;
    const parsed = parseBody(text, request.responseType ?? 'json');
    const ok = request.okStatuses ? request.okStatuses.includes(status) : status >= 200 && status < 300;
    if (!ok) {
      const body = parsed.valid ? parsed.body : text;
      throw errorFromResponse(
        failed,
        {
          status,
          statusText,
          text,
          body,
          retryAfterMs: parseRetryAfter(headers.get('retry-after')),
          rateLimited: status === 429 || (this.options.isRateLimited?.(status, body) ?? false),
        },
        redact,
      );
    }
    if (!parsed.valid) {
      throw invalidJsonError(failed, { status, statusText, text, contentType: headers.get('content-type') }, redact);
    }
    if (!request.schema) return { status, headers, body: parsed.body };
    const checked = request.schema.safeParse(parsed.body);
    if (!checked.success) throw schemaError(failed, { status, statusText, text }, checked.error, redact);
    return { status, headers, body: checked.data };
  }

  /**
   * Requests that hit the same expired credential share one renewal, and a request sent before a renewal
   * completed just retries with the renewed credential: rotating a token twice can revoke the first new one.
   */
  private renewAuth(usedGeneration: number, onUnauthorized: () => Promise<boolean>): Promise<boolean> {
    if (usedGeneration < this.authGeneration) return Promise.resolve(true);
    this.renewal ??= onUnauthorized()
      .then((renewed) => {
        if (renewed) this.authGeneration += 1;
        return renewed;
      })
      .finally(() => {
        this.renewal = undefined;
      });
    return this.renewal;
  }

  private url(request: RequestOptions, authQuery: Record<string, string>): string {
    const url = new URL(`${this.options.baseUrl.replace(/\/+$/, '')}/${request.path.replace(/^\/+/, '')}`);
    appendQuery(url.searchParams, request.query ?? {});
    appendQuery(url.searchParams, authQuery);
    return url.toString();
  }

  /** Lower-case names, so a caller's or the credential's header replaces a default whatever its spelling. */
  private headers(request: RequestOptions, authHeaders: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.options.userAgent ?? 'Junction' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    for (const [name, value] of Object.entries({ ...request.headers, ...authHeaders })) headers[name.toLowerCase()] = value;
    return headers;
  }
}

interface Exchange {
  method: HttpMethod;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal;
}

/** An answer read to its end. */
interface Answer {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  text: string;
}

function responseHeaders(headers: IncomingHttpHeaders): ResponseHeaders {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function encodeBody(request: RequestOptions): string | undefined {
  if (request.body !== undefined) return JSON.stringify(request.body);
  if (request.form === undefined) return undefined;
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(request.form)) {
    if (value === undefined || value === null) continue;
    form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}

function appendQuery(params: URLSearchParams, query: QueryParams): void {
  for (const [name, value] of Object.entries(query)) {
    const values: readonly QueryValue[] = Array.isArray(value) ? value : [value];
    for (const item of values) if (item !== undefined && item !== null) params.append(name, String(item));
  }
}

/** The path shown in errors: the request's own query, unencoded, credential-named parameters masked; no auth query. */
function displayPath(path: string, query: QueryParams | undefined): string {
  const params = new URLSearchParams();
  appendQuery(params, query ?? {});
  const pairs = [...params].map(([name, value]) => `${name}=${isSensitiveParam(name) ? REDACTED : value}`);
  if (pairs.length === 0) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

/** Credentials a caller put in the query or form itself (ZZap's legacy API takes login, password and api_key as fields). */
function sensitiveValues(request: RequestOptions): string[] {
  const fields = Object.entries({ ...request.query, ...request.form });
  return fields
    .filter(([name]) => isSensitiveParam(name))
    .flatMap(([, value]) => [value].flat())
    .filter((value) => typeof value === 'string' || typeof value === 'number')
    .map(String);
}

type ParsedBody = { valid: true; body: unknown } | { valid: false };

function parseBody(text: string, responseType: 'json' | 'text'): ParsedBody {
  if (responseType === 'text') return { valid: true, body: text };
  if (text.trim() === '') return { valid: true, body: undefined };
  try {
    return { valid: true, body: JSON.parse(text) };
  } catch {
    return { valid: false };
  }
}

/**
 * A signal that aborts with a TimeoutError after `ms`, as AbortSignal.timeout's does, for a sixteenth of its cost
 * (Node makes those transferable): one per vendor call. `clear` once the exchange is over.
 */
function abortAfter(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
