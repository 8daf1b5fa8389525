import { secretRegistry } from '@junction/secrets';
import { evenlySpaced, VendorHttpClient } from '@junction/vendor-http';
import { z } from 'zod';
import type { ZomentumSettings } from './settings';

// Record schemas hold the fields the connector reads; unknown keys are dropped.

const nullableText = z.string().nullish();

export const ZBillingPeriod = z.enum(['one_time', 'weekly', 'monthly', 'quarterly', 'semi_annually', 'annually', 'biennially', 'triennially']);
export type ZBillingPeriod = z.infer<typeof ZBillingPeriod>;

export const ZClient = z.object({
  id: z.string(),
  name: z.string(),
  email: nullableText,
  phone: nullableText,
  billing_address: z
    .object({
      address_line_1: nullableText,
      address_line_2: nullableText,
      city: nullableText,
      state: nullableText,
      zip_code: nullableText,
      country: nullableText,
    })
    .nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ZClient = z.infer<typeof ZClient>;

export const ZContact = z.object({
  id: z.string(),
  client_company_id: z.string(),
  name: z.object({ first: nullableText, last: nullableText }),
  email: nullableText,
  phone: nullableText,
  created_at: z.string(),
  updated_at: z.string(),
});
export type ZContact = z.infer<typeof ZContact>;

const ZPricing = z.object({
  name: nullableText,
  billing_period: ZBillingPeriod,
  sell_price: z.number(),
  setup_price: z.number().nullish(),
  cost_price: z.number().nullish(),
});

export type ZPricing = z.infer<typeof ZPricing>;

export const ZItem = z.object({
  id: z.string(),
  name: z.string(),
  description: nullableText,
  type: z.string(),
  sku: nullableText,
  category: z.object({ id: z.string(), name: z.string() }).nullish(),
  pricing: z.array(ZPricing),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ZItem = z.infer<typeof ZItem>;

const ZCategory = z.object({ id: z.string(), name: z.string() });
export type ZCategory = z.infer<typeof ZCategory>;

export const ZDocumentLine = z.object({
  id: z.string(),
  item_id: nullableText,
  name: z.string(),
  description: nullableText,
  quantity: z.number(),
  billing_period: ZBillingPeriod,
  sell_price: z.number(),
  setup_price: z.number(),
  cost_price: z.number(),
  discount: z.number(),
});
export type ZDocumentLine = z.infer<typeof ZDocumentLine>;

export const ZDocument = z.object({
  id: z.string(),
  name: z.string(),
  document_number: nullableText,
  status: z.string(),
  client_company_id: z.string(),
  client_user_ids: z.array(z.string()),
  currency_code: z.string(),
  line_items: z.array(ZDocumentLine),
  total: z.number(),
  updated_at: z.string(),
});
export type ZDocument = z.infer<typeof ZDocument>;

export interface ZListPage<T> {
  items: T[];
  /** Every record matching the filters (`filtered_count_map.all`). */
  total: number;
}

/** Zomentum's filter syntax: `field:op:value;` triples. A value cannot hold `;`, so it is cut there. */
export function filters(...triples: Array<[field: string, op: string, value: string]>): string {
  return triples.map(([field, op, value]) => `${field}:${op}:${value.split(';')[0]};`).join('');
}

export const PAGE_LIMIT = 100;



/**
 * A token holder shared by one connection's calls. Zomentum invalidates the old access token when it issues a new
 * one, so a 401 is renewed once through `renew` (which the connector runs under a cross-replica lock).
 */
export interface AccessToken {
  current: string;
  /** Replaces `current`, which Zomentum just refused. */
  renew(): Promise<void>;
}

export interface ClientInput {
  name: string;
  company_type: 'customer';
  email?: string;
  phone?: string;
  billing_address?: Record<string, string>;
}

export interface ContactInput {
  client_company_id: string;
  name: { first: string; last?: string };
  contact_type: 'secondary_contact';
  email?: string;
  phone?: string;
}

export interface ItemInput {
  name: string;
  type: 'product' | 'service';
  description?: string;
  sku?: string;
  category_id: string;
  pricing: Array<{ name: string; billing_period: ZBillingPeriod; sell_price: number; setup_price?: number; cost_price?: number }>;
}

export class ZomentumClient {
  private readonly http: VendorHttpClient;

  constructor(connectionId: string, settings: ZomentumSettings, token: AccessToken) {
    this.http = new VendorHttpClient({
      vendor: 'zomentum',
      baseUrl: settings.baseUrl,
      auth: () => ({ Authorization: `Bearer ${token.current}` }),
      onUnauthorized: async () => {
        await token.renew();
        return true;
      },
      // Zomentum's limit is undocumented, so the allowance is a connection setting.
      rateLimiter: evenlySpaced('zomentum', settings.requestsPerMinute),
      rateLimitKey: connectionId,
      redact: (text) => secretRegistry.scrub(text),
    });
  }

  /** The cheapest authenticated call. */
  async users(): Promise<number> {
    return (await this.list('users', z.unknown(), 1, { limit: 1 })).total;
  }

  clients(page: number, filter?: string): Promise<ZListPage<ZClient>> {
    return this.list('client/companies', ZClient, page, { filters: filter });
  }

  contacts(page: number, filter?: string): Promise<ZListPage<ZContact>> {
    return this.list('client/users', ZContact, page, { filters: filter });
  }

  items(page: number, filter?: string): Promise<ZListPage<ZItem>> {
    return this.list('items', ZItem, page, { filters: filter });
  }

  documents(page: number, filter?: string): Promise<ZListPage<ZDocument>> {
    return this.list('documents', ZDocument, page, { filters: filter });
  }

  async categories(): Promise<ZCategory[]> {
    return (await this.list('items/categories', ZCategory, 1, { limit: 1000 })).items;
  }

  client(id: string): Promise<ZClient> {
    return this.http.request({ method: 'GET', path: `client/companies/${encodeURIComponent(id)}`, schema: ZClient });
  }

  contact(id: string): Promise<ZContact> {
    return this.http.request({ method: 'GET', path: `client/users/${encodeURIComponent(id)}`, schema: ZContact });
  }

  item(id: string): Promise<ZItem> {
    return this.http.request({ method: 'GET', path: `items/${encodeURIComponent(id)}`, schema: ZItem });
  }

  createClient(input: ClientInput): Promise<ZClient> {
    return this.http.request({ method: 'POST', path: 'client/companies', body: input, schema: ZClient });
  }

  createContact(input: ContactInput): Promise<ZContact> {
    return this.http.request({ method: 'POST', path: 'client/users', body: input, schema: ZContact });
  }

  createCategory(name: string): Promise<ZCategory> {
    return this.http.request({ method: 'POST', path: 'items/categories', body: { name }, schema: ZCategory });
  }

  createItem(input: ItemInput): Promise<ZItem> {
    return this.http.request({ method: 'POST', path: 'items', body: input, schema: ZItem });
  }

  /** Zomentum updates only the fields sent; `null` clears one. */
  updateClient(id: string, changes: Record<string, unknown>): Promise<ZClient> {
    return this.http.request({ method: 'PUT', path: `client/companies/${encodeURIComponent(id)}`, body: changes, schema: ZClient });
  }

  updateContact(id: string, changes: Record<string, unknown>): Promise<ZContact> {
    return this.http.request({ method: 'PUT', path: `client/users/${encodeURIComponent(id)}`, body: changes, schema: ZContact });
  }

  /** `pricing`, when sent, replaces all of the item's prices. */
  updateItem(id: string, changes: Record<string, unknown>): Promise<ZItem> {
    return this.http.request({ method: 'PUT', path: `items/${encodeURIComponent(id)}`, body: changes, schema: ZItem });
  }

  private async list<T>(
    path: string,
    schema: z.ZodType<T>,
    page: number,
    query: { filters?: string; limit?: number },
  ): Promise<ZListPage<T>> {
    const body = await this.http.request({
      method: 'GET',
      path,
      query: { page, limit: query.limit ?? PAGE_LIMIT, filters: query.filters, count_query_flag: true },
      schema: z.object({ data: z.array(schema), filtered_count_map: z.object({ all: z.number().int() }) }),
    });
    return { items: body.data, total: body.filtered_count_map.all };
  }
}

/** Trades the refresh token for a new access token (which invalidates the old one at Zomentum). */
export async function refreshAccessToken(settings: ZomentumSettings, refreshToken: string): Promise<string> {
  const http = new VendorHttpClient({
    vendor: 'zomentum',
    baseUrl: settings.refreshUrl,
    rateLimitKey: 'refresh',
    secrets: [refreshToken],
    redact: (text) => secretRegistry.scrub(text),
  });
  const body = await http.request({
    method: 'POST',
    path: '',
    body: { grant_type: 'refresh_token', refresh_token: refreshToken },
    schema: z.object({ access_token: z.string().min(1) }),
  });
  secretRegistry.register(body.access_token);
  return body.access_token;
}
