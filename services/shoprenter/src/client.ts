import { createHash } from 'node:crypto';
import { secretRegistry } from '@junction/secrets';
import { bucketWithMargin, VendorHttpClient, type QueryParams, type RetryPolicy } from '@junction/vendor-http';
import { z } from 'zod';
import { normalizeShopTime } from './shop-time';
import type { ShoprenterSettings } from './settings';

// Record schemas hold the fields the connector reads; unknown keys are dropped. Shoprenter writes almost every
// scalar as a string and an empty value as '', null or {} (an artefact of its XML-to-JSON conversion).

const EmptyValue = z.union([z.null(), z.literal(''), z.strictObject({})]);

/** Text that may be empty in any of Shoprenter's three ways; trimmed, blank as undefined. */
const optionalText = z
  .union([z.string(), z.number(), EmptyValue])
  .optional()
  .transform((value) => (value === undefined || value === null || typeof value === 'object' ? undefined : String(value).trim() || undefined));

/** Decimal strings (`"3990.0000"`); newer resources send numbers. */
const decimal = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a number` });
    return z.NEVER;
  }
  return number;
});

/** A shop-local datetime in its `T` form; zero dates (`0000-00-00 00:00:00`) are refused. */
const shopTime = z.string().transform((value, ctx) => {
  const local = normalizeShopTime(value);
  if (!local) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a date and time` });
    return z.NEVER;
  }
  return local;
});

/** A reference to another resource. */
const Link = z.object({ href: z.string().min(1) });

/** The id at the end of a resource link (`…/orderStatuses/b3JkZXJTdGF0dXMt…`): ids are base64, possibly URL-encoded. */
export function linkedId(link: { href: string }): string {
  const path = link.href.split(/[?#]/)[0];
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

const emptyAsUndefined = <T extends z.ZodType>(schema: T) =>
  z.union([schema, EmptyValue]).optional().transform((value) => (value === null || value === undefined || isEmptyObject(value) ? undefined : (value as z.output<T>)));

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

export const SrOrderProduct = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1),
  sku: optionalText,
  productInnerId: optionalText,
  product: Link.nullish(),
  /** Net unit price. */
  price: decimal,
  /** Net price × quantity. */
  total: decimal.optional(),
  taxRate: decimal.optional(),
  // REST has no quantity: it is what was taken from the four warehouses.
  stock1: decimal.optional(),
  stock2: decimal.optional(),
  stock3: decimal.optional(),
  stock4: decimal.optional(),
});
export type SrOrderProduct = z.infer<typeof SrOrderProduct>;

export const SrOrderTotal = z.object({
  type: z.string(),
  name: optionalText,
  value: decimal,
});
export type SrOrderTotal = z.infer<typeof SrOrderTotal>;

export const SrCoupon = z.object({
  code: z.string().trim().min(1),
  description: optionalText,
});
export type SrCoupon = z.infer<typeof SrCoupon>;

const Country = z.object({ isoCode2: optionalText });

/** An order as `/orderExtend?full=1` gives it: lines, totals, coupon and currency embedded. */
export const SrOrder = z.object({
  id: z.string().min(1),
  innerId: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(Number),
  invoiceId: optionalText,
  invoicePrefix: optionalText,
  firstname: optionalText,
  lastname: optionalText,
  email: optionalText,
  phone: optionalText,
  comment: optionalText,
  shippingFirstname: optionalText,
  shippingLastname: optionalText,
  shippingCompany: optionalText,
  shippingAddress1: optionalText,
  shippingAddress2: optionalText,
  shippingCity: optionalText,
  shippingPostcode: optionalText,
  shippingZoneName: optionalText,
  shippingCountryName: optionalText,
  shippingCountry: emptyAsUndefined(Country),
  shippingMethodName: optionalText,
  paymentFirstname: optionalText,
  paymentLastname: optionalText,
  paymentCompany: optionalText,
  paymentAddress1: optionalText,
  paymentAddress2: optionalText,
  paymentCity: optionalText,
  paymentPostcode: optionalText,
  paymentZoneName: optionalText,
  paymentCountryName: optionalText,
  paymentCountry: emptyAsUndefined(Country),
  paymentMethodName: optionalText,
  /** Gross total, in the shop's default currency. */
  total: decimal,
  /** The order currency's rate to the default currency when ordered: amounts × value are in the order's currency. */
  value: decimal.optional(),
  dateCreated: shopTime,
  dateUpdated: shopTime,
  customer: Link.nullish(),
  /** Absent for unfinished orders (abandoned carts), which the connector filters out. */
  orderStatus: Link.nullish(),
  currency: z.object({ code: z.string().trim().regex(/^[A-Za-z]{3}$/, 'Expected a three-letter currency code') }),
  coupon: emptyAsUndefined(SrCoupon),
  orderProducts: z.array(SrOrderProduct),
  orderTotals: z.array(SrOrderTotal),
});
export type SrOrder = z.infer<typeof SrOrder>;

/** Just the id of a record, to name a record that does not parse. */
export const SrRecordId = z.object({ innerId: z.union([z.string(), z.number()]).optional(), id: z.string().optional() });

export const SrLanguage = z.object({ id: z.string().min(1), code: optionalText });
export type SrLanguage = z.infer<typeof SrLanguage>;

export const SrOrderStatus = z.object({ id: z.string().min(1) });
export type SrOrderStatus = z.infer<typeof SrOrderStatus>;

export const SrOrderStatusDescription = z.object({
  name: optionalText,
  orderStatus: Link,
  language: Link.nullish(),
});
export type SrOrderStatusDescription = z.infer<typeof SrOrderStatusDescription>;

const ListEnvelope = z.object({
  items: z.array(z.unknown()),
  next: Link.nullish(),
  last: Link.nullish(),
});

/** A list answer; the docs' "full parameter" page shows it wrapped in `response`, the fixtures do not: accept both. */
const List = z.preprocess(
  (body) => (body && typeof body === 'object' && 'response' in body && !('items' in body) ? body.response : body),
  ListEnvelope,
);

/** Largest page Shoprenter serves. */
export const PAGE_LIMIT = 200;

/** The order filters both `/orders` and `/orderExtend` take (datetimes in shop time, `YYYY-MM-DDTHH:MM:SS`). */
export interface OrderFilter {
  updatedAtMin?: string;
  updatedAtMax?: string;
  innerIdMin?: number;
}

export interface OrderPage {
  /** Each order unparsed: a record that does not parse fails alone. */
  items: unknown[];
  hasMore: boolean;
}

/** Documented: 3 requests a second per application and shop; the bucket is keyed by shop and credential. */
const rateLimiter = bucketWithMargin('shoprenter', { capacity: 3, refillPerSecond: 3 });

/**
 * A 429 comes without Retry-After. Two parallel pagers get an API user locked out (every call 429 for a while), so
 * a sync backs off exponentially up to a minute a wait, riding out the lock-out instead of failing on it.
 */
export const SYNC_RETRY: Partial<RetryPolicy> = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 };
/** A connection test answers the user at once: one retry, then the reason. */
export const TEST_RETRY: Partial<RetryPolicy> = { maxAttempts: 2, baseDelayMs: 500, maxDelayMs: 2_000 };

/** How a client authenticates: Basic with the API user, or Bearer with an access token that renews on a 401. */
export type ShoprenterAuth =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; clientId: string; token: () => Promise<string>; renew: () => Promise<void> };

/** The Shoprenter REST API, zod-checked; JSON requested with Accept (the default answer is XML). */
export class ShoprenterClient {
  private readonly http: VendorHttpClient;

  constructor(settings: ShoprenterSettings, auth: ShoprenterAuth, retry: Partial<RetryPolicy> = SYNC_RETRY) {
    const identity = auth.kind === 'basic' ? `basic:${auth.username}` : `oauth:${auth.clientId}`;
    this.http = new VendorHttpClient({
      vendor: 'shoprenter',
      baseUrl: settings.apiUrl,
      auth:
        auth.kind === 'basic'
          ? () => ({ Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` })
          : async () => ({ Authorization: `Bearer ${await auth.token()}` }),
      onUnauthorized:
        auth.kind === 'bearer'
          ? async () => {
              await auth.renew();
              return true;
            }
          : undefined,
      rateLimiter,
      // The limit is per shop and credential, whichever connection uses them; the key holds no secret.
      rateLimitKey: createHash('sha256').update(`${settings.apiUrl.toLowerCase()}|${identity}`).digest('hex'),
      secrets: auth.kind === 'basic' ? [auth.password] : [],
      redact: (text) => secretRegistry.scrub(text),
      retry,
    });
  }

  /** Every language of the shop (a handful): the cheapest authenticated call there is. */
  languages(): Promise<SrLanguage[]> {
    return this.listAll('/languages', SrLanguage);
  }

  orderStatuses(): Promise<SrOrderStatus[]> {
    return this.listAll('/orderStatuses', SrOrderStatus);
  }

  orderStatusDescriptions(): Promise<SrOrderStatusDescription[]> {
    return this.listAll('/orderStatusDescriptions', SrOrderStatusDescription);
  }

  /**
   * How many finished orders match: there is no count field, but with one order a page the `last` link names the
   * last page, whose index + 1 is the count.
   */
  async countOrders(filter: OrderFilter): Promise<number | undefined> {
    const body = await this.list('/orders', { ...orderQuery(filter), limit: 1, page: 0 });
    if (body.items.length === 0) return 0;
    const lastPage = body.last && URL.canParse(body.last.href) ? new URL(body.last.href).searchParams.get('page') : null;
    return lastPage !== null && /^\d+$/.test(lastPage) ? Number(lastPage) + 1 : undefined;
  }

  /**
   * The first page of finished orders matching the filter, with lines, totals, coupon and currency embedded (one
   * call for up to 200 orders). Callers page by raising `innerIdMin`, so a record that leaves or joins the filter
   * meanwhile never shifts a page.
   */
  async orderExtendPage(filter: OrderFilter): Promise<OrderPage> {
    const body = await this.list('/orderExtend', { ...orderQuery(filter), full: 1, limit: PAGE_LIMIT, page: 0 });
    return { items: body.items, hasMore: Boolean(body.next) };
  }

  /** Every page of a small collection, one after the other (never in parallel: that is what gets a user locked out). */
  private async listAll<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
    const items: T[] = [];
    for (let page = 0; ; page++) {
      const body = await this.list(path, { full: 1, limit: PAGE_LIMIT, page });
      items.push(...body.items.map((item) => schema.parse(item)));
      if (!body.next || body.items.length === 0) return items;
    }
  }

  private list(path: string, query: QueryParams) {
    return this.http.request({ method: 'GET', path, query, schema: List });
  }
}

function orderQuery(filter: OrderFilter): QueryParams {
  return {
    // Orders without a status are abandoned carts, not orders.
    excludeAbandonedCart: 1,
    updatedAtMin: filter.updatedAtMin,
    updatedAtMax: filter.updatedAtMax,
    innerIdMin: filter.innerIdMin,
  };
}

/** Trades the API client's id and secret for a bearer token (client-credentials grant, 3600 s). */
export async function requestAccessToken(
  tokenUrl: string,
  clientId: string,
  clientSecret: string,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  // The URL is used exactly as given: a trailing slash added to the token path may not be the same endpoint.
  const { origin, pathname } = new URL(tokenUrl);
  const http = new VendorHttpClient({
    vendor: 'shoprenter',
    baseUrl: origin,
    rateLimitKey: 'token',
    secrets: [clientSecret],
    redact: (text) => secretRegistry.scrub(text),
    retry: TEST_RETRY,
  });
  const body = await http.request({
    method: 'POST',
    path: pathname,
    body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    schema: z.object({ access_token: z.string().min(1), expires_in: decimal.optional() }),
  });
  secretRegistry.register(body.access_token);
  return { accessToken: body.access_token, expiresInSeconds: body.expires_in ?? 3600 };
}
