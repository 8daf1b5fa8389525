import { secretRegistry } from '@junction/secrets';
import { evenlySpaced, VendorHttpClient, type QueryParams } from '@junction/vendor-http';
import { z } from 'zod';
import { baseUrlOf, type RepairShoprCredentials, type RepairShoprSettings } from './settings';

// Record schemas hold the fields the connector reads; unknown keys (live records carry many) are dropped.

const nullableText = z.string().nullish();

export const RsCustomer = z.object({
  id: z.number().int(),
  business_name: nullableText,
  firstname: nullableText,
  lastname: nullableText,
  email: nullableText,
  phone: nullableText,
  mobile: nullableText,
  address: nullableText,
  address_2: nullableText,
  city: nullableText,
  state: nullableText,
  zip: nullableText,
  created_at: z.string(),
  updated_at: z.string(),
});
export type RsCustomer = z.infer<typeof RsCustomer>;

export const RsContact = z.object({
  id: z.number().int(),
  customer_id: z.number().int(),
  name: nullableText,
  email: nullableText,
  phone: nullableText,
  mobile: nullableText,
  created_at: z.string(),
  updated_at: z.string(),
});
export type RsContact = z.infer<typeof RsContact>;

export const RsProduct = z.object({
  id: z.number().int(),
  name: z.string(),
  description: nullableText,
  price_retail: z.number(),
  price_cost: z.number(),
  taxable: z.boolean(),
  product_category: nullableText,
  upc_code: nullableText,
});
export type RsProduct = z.infer<typeof RsProduct>;

export const RsEstimate = z.object({ id: z.number().int(), number: z.string(), customer_id: z.number().int() });
export type RsEstimate = z.infer<typeof RsEstimate>;

const Meta = z.object({ total_pages: z.number().int(), page: z.number().int(), total_entries: z.number().int().optional() });
export type PageMeta = z.infer<typeof Meta>;

const Me = z.object({ user_name: z.string(), user_email: z.string(), subdomain: z.string() });
export type Me = z.infer<typeof Me>;

// The answers' envelopes, built once: zod compiles a schema at its first parse.
const CustomersPage = z.object({ customers: z.array(RsCustomer), meta: Meta });
const ContactsPage = z.object({ contacts: z.array(RsContact), meta: Meta });
const ProductsPage = z.object({ products: z.array(RsProduct), meta: Meta });
const OneCustomer = z.object({ customer: RsCustomer });
const OneProduct = z.object({ product: RsProduct });
const OneEstimate = z.object({ estimate: RsEstimate });

export interface Page<T> {
  items: T[];
  meta: PageMeta;
}

export interface CustomerInput {
  business_name?: string;
  firstname?: string;
  lastname?: string;
  email?: string;
  phone?: string;
  address?: string;
  address_2?: string;
  city?: string;
  state?: string;
  zip?: string;
}

export interface ContactInput {
  customer_id: number;
  name: string;
  email?: string;
  phone?: string;
  mobile?: string;
}

export interface ProductInput {
  name: string;
  description: string;
  price_retail: number;
  price_cost?: number;
  taxable?: boolean;
  product_category: string;
  upc_code?: string;
}

export interface EstimateLineInput {
  item: string;
  name?: string;
  product_id?: number;
  quantity: number;
  price: number;
  cost?: number;
  taxable?: boolean;
  discount_percent?: number;
}

export interface EstimateInput {
  customer_id: number;
  contact_id?: number;
  number: string;
  name: string;
  date: string;
  note?: string;
  line_items: EstimateLineInput[];
}

// RepairShopr allows 180 requests a minute (documented per IP; per token is the stricter reading).
const rateLimiter = evenlySpaced('repairshopr', 180);

/** RepairShopr REST API v1, zod-checked; one instance per connection. */
export class RepairShoprClient {
  private readonly http: VendorHttpClient;

  constructor(connectionId: string, settings: RepairShoprSettings, credentials: RepairShoprCredentials) {
    this.http = new VendorHttpClient({
      vendor: 'repairshopr',
      baseUrl: baseUrlOf(settings),
      auth: () => ({ Authorization: `Bearer ${credentials.apiToken}` }),
      rateLimiter,
      rateLimitKey: connectionId,
      secrets: [credentials.apiToken],
      redact: (text) => secretRegistry.scrub(text),
    });
  }

  me(): Promise<Me> {
    return this.get('/me', Me);
  }

  async customers(page: number, query: QueryParams = {}): Promise<Page<RsCustomer>> {
    const body = await this.get('/customers', CustomersPage, { ...query, page });
    return { items: body.customers, meta: body.meta };
  }

  async contacts(page: number, query: QueryParams = {}): Promise<Page<RsContact>> {
    const body = await this.get('/contacts', ContactsPage, { ...query, page });
    return { items: body.contacts, meta: body.meta };
  }

  async products(page: number, query: QueryParams = {}): Promise<Page<RsProduct>> {
    const body = await this.get('/products', ProductsPage, { ...query, page });
    return { items: body.products, meta: body.meta };
  }

  /** The documented `?number=` fallback of GET /estimates/{id}: id 0 never exists, so the number decides. */
  async estimateByNumber(number: string): Promise<RsEstimate | undefined> {
    const response = await this.http.requestRaw({
      method: 'GET',
      path: '/estimates/0',
      query: { number },
      okStatuses: [200, 404],
    });
    if (response.status === 404) return undefined;
    return OneEstimate.parse(response.body).estimate;
  }

  async createCustomer(input: CustomerInput): Promise<RsCustomer> {
    return (await this.post('/customers', input, OneCustomer)).customer;
  }

  /** Contacts are created and returned bare, without a wrapper. */
  createContact(input: ContactInput): Promise<RsContact> {
    return this.post('/contacts', input, RsContact);
  }

  async createProduct(input: ProductInput): Promise<RsProduct> {
    return (await this.post('/products', input, OneProduct)).product;
  }

  /** RepairShopr updates only the fields sent; `null` clears one. */
  async updateCustomer(id: string, changes: Record<string, unknown>): Promise<RsCustomer> {
    return (await this.put(`/customers/${encodeURIComponent(id)}`, changes, OneCustomer)).customer;
  }

  /** Like create, answered bare. */
  updateContact(id: string, changes: Record<string, unknown>): Promise<RsContact> {
    return this.put(`/contacts/${encodeURIComponent(id)}`, changes, RsContact);
  }

  async updateProduct(id: string, changes: Record<string, unknown>): Promise<RsProduct> {
    return (await this.put(`/products/${encodeURIComponent(id)}`, changes, OneProduct)).product;
  }

  async createEstimate(input: EstimateInput): Promise<RsEstimate> {
    return (await this.post('/estimates', input, OneEstimate)).estimate;
  }

  private get<T>(path: string, schema: z.ZodType<T>, query?: QueryParams): Promise<T> {
    return this.http.request({ method: 'GET', path, query, schema });
  }

  private post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.http.request({ method: 'POST', path, body, schema });
  }

  private put<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.http.request({ method: 'PUT', path, body, schema });
  }
}
