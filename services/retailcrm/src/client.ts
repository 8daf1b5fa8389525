import { createHash } from 'node:crypto';
import { isTimeZone } from '@junction/schedules';
import { secretRegistry } from '@junction/secrets';
import { bucketWithMargin, VendorHttpClient, VendorNotFoundError, type FormFields, type QueryParams } from '@junction/vendor-http';
import { z } from 'zod';
import { apiRootOf, type RetailCrmCredentials, type RetailCrmSettings } from './settings';

// Record schemas hold the fields the connector reads; unknown keys (live records carry many) are dropped.

const nullableText = z.string().nullish();

/** RetailCRM (PHP) answers an empty map as `[]`: a map keyed by code, or that empty list. */
function codeMap<T>(value: z.ZodType<T>) {
  return z.union([z.record(z.string(), value), z.array(z.never()).transform((): Record<string, T> => ({}))]);
}

export const RcStatus = z.object({ code: z.string(), name: z.string(), active: z.boolean().optional(), ordering: z.number().optional() });
export type RcStatus = z.infer<typeof RcStatus>;

const RcCredentials = z.object({ scopes: z.array(z.string()).optional(), sitesAvailable: z.array(z.string()).optional() });
export type RcCredentials = z.infer<typeof RcCredentials>;

export const RcOrder = z.object({
  id: z.number().int(),
  site: z.string(),
  status: z.string(),
  /** When the status last changed, account-local `Y-m-d H:i:s`. */
  statusUpdatedAt: nullableText,
});
export type RcOrder = z.infer<typeof RcOrder>;

export const RcOffer = z.object({ id: z.number().int(), externalId: nullableText, article: nullableText });
export type RcOffer = z.infer<typeof RcOffer>;

export const RcProduct = z.object({ article: nullableText, offers: z.array(RcOffer) });
export type RcProduct = z.infer<typeof RcProduct>;

export const RcHistoryEntry = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  source: z.string(),
  field: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  apiKey: z.object({ current: z.boolean().optional() }).nullish(),
  // A reduced order on most entries, the whole order on the one that created it; both carry its externalId, if any.
  order: z.object({ id: z.number().int(), number: z.string().optional(), externalId: nullableText }).nullish(),
});
export type RcHistoryEntry = z.infer<typeof RcHistoryEntry>;

const Pagination = z.object({ totalPageCount: z.number().int() });

export interface RcPage<T> {
  items: T[];
  totalPageCount: number;
}

/** What an order create or edit sends (form field `order`); see order-body.ts. */
export type RcOrderInput = Record<string, unknown>;

/** The largest page RetailCRM's list methods accept. */
export const PAGE_LIMIT = 100;

/** The most orders one `/orders/upload` takes. */
export const UPLOAD_LIMIT = 50;

/** RetailCRM's own status for an upload that loaded some orders and refused others. */
const PARTLY_UPLOADED = 460;

/**
 * The answer to `/orders/upload`: 201 when every order loaded; 460 when some were refused (`failedOrders`, and an
 * `errorMsg` with `errors` that do not say which order each is about), the others loaded all the same.
 */
const OrderId = z.object({ id: z.number().int(), externalId: nullableText });
const RcUploadAnswer = z.object({ uploadedOrders: z.array(OrderId).default([]) });

// The other answers' envelopes, built once: zod compiles a schema at its first parse.
const OneOrder = z.object({ order: RcOrder });
const CreatedOrder = z.object({ id: z.number().int() });
const OrderIds = z.object({ orders: z.array(OrderId) });
const Succeeded = z.object({ success: z.literal(true) });
const ProductsPage = z.object({ products: z.array(RcProduct), pagination: Pagination });
const HistoryPage = z.object({ history: z.array(RcHistoryEntry), pagination: Pagination });

// RetailCRM allows 10 requests a second per API key (the official SDK's limiter), shared by every replica.
const rateLimiter = bucketWithMargin('retailcrm', { capacity: 10, refillPerSecond: 10 });

/**
 * RetailCRM signals its rate limit with 503 and its JSON error envelope ("Rate limit exceeded"), not 429. A 503
 * page from a proxy in front of it (HTML) stays a server error.
 */
function isRateLimited(status: number, body: unknown): boolean {
  return status === 503 && typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false;
}

function idsByExternalId(orders: Array<{ id: number; externalId?: string | null }>): Map<string, number> {
  return new Map(orders.flatMap((order): Array<[string, number]> => (order.externalId ? [[order.externalId, order.id]] : [])));
}

/** RetailCRM API v5 (plus the unversioned `/api/credentials`), zod-checked; one instance per connection. */
export class RetailCrmClient {
  private readonly http: VendorHttpClient;

  constructor(settings: RetailCrmSettings, credentials: RetailCrmCredentials) {
    this.http = new VendorHttpClient({
      vendor: 'retailcrm',
      baseUrl: apiRootOf(settings),
      auth: () => ({ 'X-API-KEY': credentials.apiKey }),
      rateLimiter,
      // The limit is the key's, whichever connection uses it; the bucket is keyed by a hash, never the key.
      rateLimitKey: createHash('sha256').update(`${apiRootOf(settings)} ${credentials.apiKey}`).digest('hex').slice(0, 16),
      secrets: [credentials.apiKey],
      redact: (text) => secretRegistry.scrub(text),
      isRateLimited,
    });
  }

  /** What the key may do and which sites (stores) it reaches. */
  credentials(): Promise<RcCredentials> {
    return this.http.request({ method: 'GET', path: 'credentials', schema: RcCredentials });
  }

  /** The account's time zone: every DateTime the API shows is local to it, without an offset. */
  async timeZone(): Promise<string> {
    const zone = z.string().refine(isTimeZone, 'not an IANA time zone');
    const schema = z.object({ settings: z.object({ timezone: z.object({ value: zone }) }) });
    return (await this.get('settings', schema)).settings.timezone.value;
  }

  /** Order statuses in the account's order. */
  async statuses(): Promise<RcStatus[]> {
    const { statuses } = await this.get('reference/statuses', z.object({ statuses: codeMap(RcStatus) }));
    return Object.values(statuses).sort((a, b) => (a.ordering ?? 0) - (b.ordering ?? 0));
  }

  /** Codes of the sites (stores) the key reaches. */
  async siteCodes(): Promise<string[]> {
    const { sites } = await this.get('reference/sites', z.object({ sites: codeMap(z.object({ code: z.string() })) }));
    return Object.values(sites).map((site) => site.code);
  }

  async order(id: number): Promise<RcOrder> {
    return (await this.get(`orders/${id}`, OneOrder, { by: 'id' })).order;
  }

  /** The order with this externalId in the site, if there is one. */
  async orderByExternalId(externalId: string, site: string): Promise<RcOrder | undefined> {
    try {
      return (await this.get(`orders/${encodeURIComponent(externalId)}`, OneOrder, { by: 'externalId', site })).order;
    } catch (error) {
      if (error instanceof VendorNotFoundError) return undefined;
      throw error;
    }
  }

  async createOrder(site: string, order: RcOrderInput): Promise<number> {
    return (await this.post('orders/create', { site, order }, CreatedOrder)).id;
  }

  /** Creates up to UPLOAD_LIMIT orders in one call; answers the id of each order it loaded, by externalId. */
  async uploadOrders(site: string, orders: RcOrderInput[]): Promise<Map<string, number>> {
    const { uploadedOrders } = await this.http.request({
      method: 'POST',
      path: 'v5/orders/upload',
      form: { site, orders },
      schema: RcUploadAnswer,
      okStatuses: [200, 201, PARTLY_UPLOADED],
    });
    return idsByExternalId(uploadedOrders);
  }

  /** The ids of the site's orders with these externalIds (at most PAGE_LIMIT of them), by externalId. */
  async orderIdsByExternalIds(site: string, externalIds: string[]): Promise<Map<string, number>> {
    const { orders } = await this.get('orders', OrderIds, {
      'filter[externalIds][]': externalIds,
      'filter[sites][]': site,
      limit: PAGE_LIMIT,
    });
    return idsByExternalId(orders);
  }

  async editOrder(id: number, site: string, order: RcOrderInput): Promise<void> {
    await this.post(`orders/${id}/edit`, { by: 'id', site, order }, Succeeded);
  }

  async products(filter: Record<string, string>, page: number): Promise<RcPage<RcProduct>> {
    const query = Object.fromEntries(Object.entries(filter).map(([name, value]) => [`filter[${name}]`, value]));
    const body = await this.get('store/products', ProductsPage, {
      ...query,
      limit: PAGE_LIMIT,
      page,
    });
    return { items: body.products, totalPageCount: body.pagination.totalPageCount };
  }

  /** History entries with an id above `sinceId` (all when absent), ascending by id. */
  async history(query: { sinceId?: number; page?: number }): Promise<RcPage<RcHistoryEntry>> {
    const body = await this.get('orders/history', HistoryPage, {
      'filter[sinceId]': query.sinceId,
      limit: PAGE_LIMIT,
      page: query.page,
    });
    return { items: body.history, totalPageCount: body.pagination.totalPageCount };
  }

  private get<T>(path: string, schema: z.ZodType<T>, query?: QueryParams): Promise<T> {
    return this.http.request({ method: 'GET', path: `v5/${path}`, query, schema });
  }

  private post<T>(path: string, form: FormFields, schema: z.ZodType<T>): Promise<T> {
    return this.http.request({ method: 'POST', path: `v5/${path}`, form, schema });
  }
}
