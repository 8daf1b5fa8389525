import { RetryableError } from '@junction/messaging';
import { secretRegistry } from '@junction/secrets';
import {
  evenlySpaced,
  VendorAuthError,
  VendorHttpClient,
  VendorNotFoundError,
  VendorRateLimitError,
  type QueryParams,
  type VendorRequest,
} from '@junction/vendor-http';
import { z } from 'zod';
import { baseUrlOf, type MiniCrmCredentials, type MiniCrmSettings } from './settings';
import type { OrderBody, PersonBody, ProjectBody } from './translate';

// Record schemas hold the fields the connector reads; unknown keys are dropped. MiniCRM answers ids as numbers on
// newer endpoints and as strings on older ones (and throughout the Order API), so ids are read as strings.

const Id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);
const text = z.string().nullish().transform((value) => value ?? '');

/** The search envelope: `Count` of all matches, `Results` keyed by id (or `[]` when empty), 100 per page. */
function searchResults<T>(item: z.ZodType<T>) {
  return z
    .object({ Count: z.coerce.number().int(), Results: z.union([z.array(item), z.record(z.string(), item)]) })
    .transform((body) => (Array.isArray(body.Results) ? body.Results : Object.values(body.Results)));
}

export const MCategory = z.object({ Id, Name: z.string(), Type: z.string().nullish() });
export type MCategory = z.infer<typeof MCategory>;

const MContactRow = z.object({ Id, Name: text, Type: z.string(), Email: text, Phone: text });
export type MContactRow = z.infer<typeof MContactRow>;
const MContactSearch = searchResults(MContactRow);

const MProjectRow = z.object({ Id });
const MProjectSearch = searchResults(MProjectRow);
/** A card in detail; `StatusUpdatedAt` is MiniCRM's local time of its last status change. */
const MProject = z.object({ Id, CategoryId: Id, OrderId: Id.optional(), StatusUpdatedAt: text });

/** An order with its card's fields (`Project`): `StatusId` as its label, custom fields by API name; `[]` when empty. */
const MOrder = z.object({
  Id,
  ProjectId: Id,
  Project: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).transform(() => ({}))]),
});
export type MOrder = z.infer<typeof MOrder>;

/** `GET /Schema/Project/{CategoryId}`: `StatusId` maps status ids to names; custom fields sit beside it. */
const MProjectSchema = z
  .looseObject({ StatusId: z.record(z.string(), z.string()) })
  .transform(({ StatusId, ...fields }) => ({
    statuses: Object.entries(StatusId).map(([id, name]) => ({ id, name })),
    fields: Object.keys(fields),
  }));
export type MProjectSchema = z.infer<typeof MProjectSchema>;

const Written = z.object({ Id });

export interface ProjectQuery {
  CategoryId: string;
  MainContactId?: string;
  ReferenceId?: string;
}


// MiniCRM sends no Retry-After; a limit still spent after the client's own retries lasts until its minute ends.
const RATE_LIMIT_PAUSE_MS = 60_000;

/** MiniCRM's R3 API (`/Api/R3`) and Order API (`/Api/Order`) on one host, zod-checked; one instance per connection. */
export class MiniCrmClient {
  private readonly http: VendorHttpClient;

  constructor(settings: MiniCrmSettings, credentials: MiniCrmCredentials) {
    const basic = Buffer.from(`${settings.systemId}:${credentials.apiKey}`).toString('base64');
    this.http = new VendorHttpClient({
      vendor: 'minicrm',
      baseUrl: baseUrlOf(settings),
      auth: () => ({ Authorization: `Basic ${basic}` }),
      // 60 requests a minute per system on R3 by default (the Order API is counted with it, our guess).
      rateLimiter: evenlySpaced('minicrm', settings.requestsPerMinute),
      rateLimitKey: `system:${settings.systemId}`,
      secrets: [credentials.apiKey, basic],
      redact: (value) => secretRegistry.scrub(value),
    });
  }

  /** The products (categories) with their kind; also the cheapest authenticated call. */
  async categories(): Promise<MCategory[]> {
    const body = await this.send({
      method: 'GET',
      path: '/Api/R3/Category',
      query: { Detailed: 1 },
      schema: z.object({ Results: z.union([z.array(MCategory), z.record(z.string(), MCategory)]) }),
    });
    return Array.isArray(body.Results) ? body.Results : Object.values(body.Results);
  }

  projectSchema(categoryId: string): Promise<MProjectSchema> {
    return this.send({ method: 'GET', path: `/Api/R3/Schema/Project/${categoryId}`, schema: MProjectSchema });
  }

  /** First page of a contact search (`Email=`, `Phone=`, `Type=`...): lookups expect a handful of matches. */
  contacts(query: QueryParams): Promise<MContactRow[]> {
    return this.send({ method: 'GET', path: '/Api/R3/Contact', query, schema: MContactSearch });
  }

  /** PUT creates in MiniCRM: not repeated blindly after a lost answer (the ID map's lookup decides). */
  async createPerson(body: PersonBody): Promise<string> {
    return (await this.send({ method: 'PUT', path: '/Api/R3/Contact', body, idempotent: false, schema: Written })).Id;
  }

  /** Ids of the first page of data sheets matching `query`, lowest first. */
  async projectIds(query: ProjectQuery): Promise<string[]> {
    const rows = await this.send({ method: 'GET', path: '/Api/R3/Project', query: { ...query }, schema: MProjectSearch });
    return rows.map((row) => row.Id).sort((a, b) => Number(a) - Number(b));
  }

  project(id: string): Promise<z.infer<typeof MProject>> {
    return this.send({ method: 'GET', path: `/Api/R3/Project/${id}`, schema: MProject });
  }

  async createProject(body: ProjectBody): Promise<string> {
    return (await this.send({ method: 'PUT', path: '/Api/R3/Project', body, idempotent: false, schema: Written })).Id;
  }

  order(id: string): Promise<MOrder> {
    return this.send({ method: 'GET', path: `/Api/Order/${id}`, schema: MOrder });
  }

  /** Creates a Draft order; MiniCRM also creates its card in the Order product. */
  async createOrder(body: OrderBody): Promise<string> {
    return (await this.send({ method: 'POST', path: '/Api/Order', body, schema: Written })).Id;
  }

  /** Sets fields of an order's card (status, custom fields); the same body twice changes nothing. */
  async updateOrderCard(orderId: string, fields: Record<string, string>): Promise<void> {
    await this.send({ method: 'POST', path: `/Api/Order/${orderId}/Project`, body: fields, idempotent: true, schema: z.unknown() });
  }

  private async send<T>(request: VendorRequest<T>): Promise<T> {
    try {
      return await this.http.request(request);
    } catch (error) {
      throw normalized(error);
    }
  }
}

/** MiniCRM's own ways of saying what other vendors say with a 401 and a Retry-After. */
function normalized(error: unknown): unknown {
  // The manual lists "404 Unauthorized: Access denied" for a wrong SystemId or API key.
  if (error instanceof VendorNotFoundError && /unauthori[sz]ed/i.test(error.bodyExcerpt ?? '')) {
    const { vendor, method, path, status, bodyExcerpt } = error;
    return new VendorAuthError({ vendor, method, path, status, code: 'unauthorized', retryable: false, bodyExcerpt, reason: bodyExcerpt });
  }
  if (error instanceof VendorRateLimitError && error.retryAfterMs === undefined) {
    return new RetryableError(`${error.message} (MiniCRM allows a number of requests a minute per system)`, {
      retryAfterMs: RATE_LIMIT_PAUSE_MS,
      cause: error,
    });
  }
  return error;
}
