import { createHash } from 'node:crypto';
import { secretRegistry } from '@junction/secrets';
import {
  bucketWithMargin,
  VendorAuthError,
  VendorHttpError,
  VendorValidationError,
  VendorHttpClient,
  type RetryPolicy,
} from '@junction/vendor-http';
import { z } from 'zod';
import type { ZzapCredentials, ZzapSettings } from './settings';

// Row schemas hold the fields the connector reads; unknown keys are dropped. Only GetSellerOrderItem's fields up to
// `qty` are documented; price, currency, status, buyer and last-event names follow the buyer-side methods (a guess).

/** ZZap sends numbers either as JSON numbers or as text ("2", "1 020,50"). */
const numeric = z.union([
  z.number(),
  z
    .string()
    .transform((value) => value.replace(/\s/g, ''))
    .pipe(z.string().regex(/^-?\d+([.,]\d+)?$/, 'Expected a number'))
    .transform((value) => Number(value.replace(',', '.'))),
]);
const text = z.string().nullish().transform((value) => value ?? '');

export const SellerOrderRow = z.object({
  code_order: z.number().int(),
  create_date: z.string().min(1),
  class_man: text,
  partnumber: text,
  class_cat: text,
  comment: text,
  qty_order: numeric,
  price: numeric,
  code_cur: text,
  code_track: z.number().int(),
  descr_track: text,
  /** The last event on the order (creation or status change): what `date_from` filters on. */
  date_track: z.string().min(1),
  client_name: text,
  phone: text,
  email: text,
  /** ZZap's id of the seller's offer the part was ordered from: the product's external id for matching. */
  code_doc_b: z.number().int().nullish(),
});
export type SellerOrderRow = z.infer<typeof SellerOrderRow>;

export const TrackCode = z.object({ code_track: z.number().int(), descr_track: z.string() });
export type TrackCode = z.infer<typeof TrackCode>;

/** ASP.NET wraps the JSON answer in `<string xmlns="…">…</string>` with XML escapes. */
export function unwrapXmlString(xml: string): string | undefined {
  const element = /<string\b[^>]*?(?:\/>|>([\s\S]*)<\/string>)\s*$/.exec(xml.trim());
  if (!element) return undefined;
  return (element[1] ?? '').replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (entity.startsWith('#')) {
      const hex = entity[1].toLowerCase() === 'x';
      return String.fromCodePoint(Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return named[entity.toLowerCase()];
  });
}

type Answer<T> = { refusal: string } | { result: T };

/**
 * The body of every web-method answer: an XML string holding JSON, whose non-empty `error` is a refusal (ZZap answers
 * failures with HTTP 200). Anything else that does not match `result` is a malformed answer.
 */
function answerOf<T>(result: z.ZodType<T>) {
  return z.string().transform((xml, ctx): Answer<T> => {
    const json = unwrapXmlString(xml);
    let parsed: unknown;
    try {
      parsed = json === undefined ? undefined : JSON.parse(json);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected an XML <string> element holding JSON' });
      return z.NEVER;
    }
    const refusal = z.object({ error: z.string().trim().min(1) }).safeParse(parsed);
    if (refusal.success) return { refusal: refusal.data.error };
    const checked = result.safeParse(parsed);
    if (!checked.success) {
      for (const issue of checked.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    }
    return { result: checked.data };
  });
}

const Table = <T>(row: z.ZodType<T>) => z.object({ error: z.literal(''), table: z.array(row) });

/** ZZap rejected a credential: which one tells the user what to fix. `refusal` is ZZap's own text. */
export class ZzapCredentialsError extends VendorAuthError {
  override name = 'ZzapCredentialsError';
  constructor(
    readonly rejected: 'api_key' | 'login',
    readonly refusal: string,
    fields: ConstructorParameters<typeof VendorAuthError>[0],
  ) {
    super(fields);
  }
}

/** ZZap refused what was asked (an unknown order or status, a bad date): asking again will not help. */
export class ZzapRefusedError extends VendorValidationError {
  override name = 'ZzapRefusedError';
  constructor(
    readonly refusal: string,
    fields: ConstructorParameters<typeof VendorValidationError>[0],
  ) {
    super(fields);
  }
}

/**
 * ZZap's refusal texts (HTTP 200, `error` set) as errors the runtime understands: rejected credentials (fix the
 * connection), a refused request (given up with ZZap's words), anything else not retried either.
 */
function refusalError(method: string, refusal: string): VendorHttpError {
  const fields = { vendor: 'zzap', method: 'POST', path: `/${method}`, status: 200, statusText: 'OK', reason: refusal, retryable: false };
  if (/api[_ -]?key|ключ/i.test(refusal)) return new ZzapCredentialsError('api_key', refusal, { ...fields, code: 'unauthorized' });
  if (/логин|парол|login|password/i.test(refusal)) return new ZzapCredentialsError('login', refusal, { ...fields, code: 'unauthorized' });
  if (/не найден|неверн|not found|invalid/i.test(refusal)) {
    return new ZzapRefusedError(refusal, { ...fields, code: 'validation', fieldErrors: {} });
  }
  return new VendorHttpError({ ...fields, code: 'client_error' });
}

/** ZZap's documented rule is one request per 3 seconds per key; clients that hit 429s and captchas space them 3.5 s. */
const rateLimiter = bucketWithMargin('zzap', { capacity: 1, refillPerSecond: 1 / 3.5 });

/** ZZap sends no Retry-After: a 429 backs off from 3 s (the bucket also restarts from empty). */
const RETRY: Partial<RetryPolicy> = { baseDelayMs: 3_000 };

export interface SellerOrdersQuery {
  /** Last-event date, inclusive, as ZZap writes it (Moscow time). */
  dateFrom?: string;
  rowCount: number;
}

/** ZZap's legacy seller web service (`datasharing.asmx`): form POSTs, answers checked by zod. */
export class ZzapClient {
  private readonly http: VendorHttpClient;
  private readonly secrets: string[];

  constructor(
    settings: ZzapSettings,
    private readonly credentials: ZzapCredentials,
    retry: Partial<RetryPolicy> = {},
  ) {
    this.secrets = [credentials.apiKey, credentials.login, credentials.password];
    this.http = new VendorHttpClient({
      vendor: 'zzap',
      baseUrl: settings.baseUrl,
      rateLimiter,
      // The limit is per key, whichever connection or replica uses it; the key itself never names the bucket.
      rateLimitKey: createHash('sha256').update(credentials.apiKey).digest('hex').slice(0, 16),
      retry: { ...RETRY, ...retry },
      // `login` is not a credential name the client recognises in form fields.
      secrets: this.secrets,
      redact: (text) => secretRegistry.scrub(text),
      userAgent: 'Junction',
    });
  }

  async codesTrack(): Promise<TrackCode[]> {
    return (await this.call('GetCodesTrack', {}, Table(TrackCode))).table;
  }

  /** Order parts whose last event is at or after `dateFrom`, oldest event first, at most `rowCount` (no paging). */
  async sellerOrders(query: SellerOrdersQuery): Promise<SellerOrderRow[]> {
    const fields = { row_count: query.rowCount, call_data: '', date_from: query.dateFrom };
    return (await this.call('GetSellerOrdersV3', fields, Table(SellerOrderRow))).table;
  }

  /** Setting the status an order already has is no event at ZZap, so a repeat is harmless. */
  async setOrderStatus(codeOrder: string, codeTrack: string): Promise<void> {
    const fields = { code_order: codeOrder, code_track: codeTrack, response: '', call_data: '' };
    await this.call('SetOrderStatusV3', fields, z.object({ error: z.literal('') }));
  }

  private async call<T>(method: string, fields: Record<string, string | number | undefined>, result: z.ZodType<T>): Promise<T> {
    const { apiKey, login, password } = this.credentials;
    const answer = await this.http.request({
      method: 'POST',
      path: method,
      form: { login, password, api_key: apiKey, ...fields },
      // Reads are safe to repeat, and so is a status write: the same status again changes nothing.
      idempotent: true,
      headers: { accept: 'text/xml' },
      responseType: 'text',
      schema: answerOf(result),
    });
    if ('refusal' in answer) throw refusalError(method, this.scrub(answer.refusal));
    return answer.result;
  }

  private scrub(text: string): string {
    const own = this.secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join('[REDACTED]'), text);
    return secretRegistry.scrub(own);
  }
}
