import { z } from 'zod';
import { VendorHttpClient, VendorSchemaError, VendorUnavailableError, type VendorHttpClientOptions } from '../src';
import { sendJson, startVendorServer, type Responder, type VendorServer } from './vendor-server';

const fast = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

describe('VendorHttpClient responses', () => {
  let server: VendorServer;
  let respond: Responder;

  beforeEach(async () => {
    server = await startVendorServer((request, response, index) => respond(request, response, index));
  });
  afterEach(() => server.close());

  const client = (options: Partial<VendorHttpClientOptions> = {}) =>
    new VendorHttpClient({
      vendor: 'repairshopr',
      baseUrl: server.baseUrl,
      auth: () => ({ Authorization: 'Bearer tok-123' }),
      rateLimitKey: 'conn-1',
      retry: fast,
      ...options,
    });

  const Customers = z.object({ customers: z.array(z.object({ id: z.number(), email: z.string() })) });

  it('sends a GET with auth, user agent and query, and returns the body checked by the schema', async () => {
    respond = (_req, res) => sendJson(res, 200, { customers: [{ id: 1, email: 'a@example.com', extra: true }] });
    const result = await client({ userAgent: 'junction-test/1.0' }).request({
      method: 'GET',
      path: '/customers',
      query: { page: 2, 'filter[ids][]': [1, 2], since: undefined, query: 'a&b' },
      schema: Customers,
    });

    expect(result).toEqual({ customers: [{ id: 1, email: 'a@example.com' }] });
    const [received] = server.received;
    expect(received.method).toBe('GET');
    expect(received.url.pathname).toBe('/api/v1/customers');
    expect([...received.url.searchParams]).toEqual([['page', '2'], ['filter[ids][]', '1'], ['filter[ids][]', '2'], ['query', 'a&b']]);
    expect(received.headers).toMatchObject({
      authorization: 'Bearer tok-123',
      accept: 'application/json',
      'user-agent': 'junction-test/1.0',
    });
  });

  it('names the failing paths when the body does not match the schema', async () => {
    respond = (_req, res) => sendJson(res, 200, { customers: [{ id: 1, email: 'a@example.com' }, { id: 'two' }] });
    const error = await client().request({ method: 'GET', path: '/customers', schema: Customers }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VendorSchemaError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      status: 200,
      retryable: false,
      issues: [
        { path: 'customers.1.id', message: 'expected number, received string' },
        { path: 'customers.1.email', message: 'expected string, received undefined' },
      ],
    });
    expect((error as Error).message).toBe(
      'repairshopr GET /customers failed: 200 OK: response does not match the expected schema: ' +
        'customers.1.id: expected number, received string; customers.1.email: expected string, received undefined',
    );
    expect(server.received).toHaveLength(1);
  });

  it('turns an HTML page on a 2xx into a schema error with a short redacted excerpt', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><body><h1>Please log in</h1><p>session tok-123 expired</p>${'<p>filler</p>'.repeat(100)}</body></html>`);
    };
    const error = (await client().request({ method: 'GET', path: '/customers', schema: Customers }).catch((e: unknown) => e)) as VendorSchemaError;

    expect(error).toBeInstanceOf(VendorSchemaError);
    expect(error.message).toBe(
      'repairshopr GET /customers failed: 200 OK: response is not valid JSON (text/html): Please log in session [REDACTED] expired filler filler filler filler filler fill…',
    );
    expect(error.bodyExcerpt?.startsWith('Please log in session [REDACTED] expired filler')).toBe(true);
    expect(error.bodyExcerpt!.length).toBeLessThanOrEqual(201);
  });

  it('turns truncated JSON on a 2xx into a schema error', async () => {
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"customers":[{"id":1,"em');
    };
    const error = await client().request({ method: 'GET', path: '/customers', schema: Customers }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(VendorSchemaError);
    expect((error as Error).message).toContain('response is not valid JSON (application/json): {"customers":[{"id":1,"em');
  });

  it('turns an HTML error page on a 5xx into an unavailable error with a redacted excerpt', async () => {
    respond = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center><!-- tok-123 --></body></html>');
    };
    const error = (await client().request({ method: 'GET', path: '/customers', schema: Customers }).catch((e: unknown) => e)) as VendorUnavailableError;

    expect(error).toBeInstanceOf(VendorUnavailableError);
    expect(error).toMatchObject({ code: 'server_error', status: 502, retryable: true, maybeCommitted: false });
    expect(error.message).toBe('repairshopr GET /customers failed: 502 Bad Gateway: 502 Bad Gateway nginx');
    expect(error.bodyExcerpt).toBe('502 Bad Gateway nginx');
    expect(server.received).toHaveLength(fast.maxAttempts);
  });

  it('posts JSON bodies', async () => {
    respond = (_req, res) => sendJson(res, 201, { customer: { id: 7 } });
    const result = await client().request({
      method: 'POST',
      path: 'customers',
      body: { business_name: 'Acme', email: 'a@example.com' },
      schema: z.object({ customer: z.object({ id: z.number() }) }),
    });

    expect(result.customer.id).toBe(7);
    expect(server.received[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.received[0].body)).toEqual({ business_name: 'Acme', email: 'a@example.com' });
  });

  it('posts form fields with JSON in object fields and the api key in the query (RetailCRM)', async () => {
    respond = (_req, res) => sendJson(res, 201, { success: true, id: 42 });
    const retailCrm = client({ vendor: 'retailcrm', auth: undefined, authQuery: async () => ({ apiKey: 'rk-secret' }) });
    const result = await retailCrm.request({
      method: 'POST',
      path: '/orders/create',
      form: { site: 'main', order: { externalId: 'zz-1', items: [{ quantity: 2 }] }, skipped: undefined },
      schema: z.object({ success: z.literal(true), id: z.number() }),
    });

    expect(result.id).toBe(42);
    const [received] = server.received;
    expect(received.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received.headers.authorization).toBeUndefined();
    expect(received.url.searchParams.get('apiKey')).toBe('rk-secret');
    const form = new URLSearchParams(received.body);
    expect([...form.keys()]).toEqual(['site', 'order']);
    expect(JSON.parse(form.get('order')!)).toEqual({ externalId: 'zz-1', items: [{ quantity: 2 }] });
  });

  it('refuses a request with both a JSON body and form fields', async () => {
    await expect(
      client().request({ method: 'POST', path: '/x', body: {}, form: { a: 1 }, schema: z.unknown() }),
    ).rejects.toThrow(TypeError);
    expect(server.received).toHaveLength(0);
  });

  it('returns status and headers from requestRaw, with or without a schema', async () => {
    respond = (_req, res) => sendJson(res, 200, [{ id: 1 }], { 'x-total-pages': '4' });
    const raw = await client().requestRaw({ method: 'GET', path: '/products' });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-total-pages')).toBe('4');
    expect(raw.body).toEqual([{ id: 1 }]);

    const typed = await client().requestRaw({ method: 'GET', path: '/products', schema: z.array(z.object({ id: z.number() })) });
    expect(typed.body[0].id).toBe(1);
  });

  it('accepts the statuses given as okStatuses instead of 2xx', async () => {
    respond = (_req, res) => sendJson(res, 404, { message: 'Not found' });
    const raw = await client().requestRaw({ method: 'GET', path: '/customers/9', okStatuses: [200, 404] });
    expect(raw).toMatchObject({ status: 404, body: { message: 'Not found' } });
  });

  it('hands a text body to the schema with responseType text (ZZap legacy XML)', async () => {
    const xml = '<?xml version="1.0"?><string xmlns="http://tempuri.org/">{"error":"","row_count":0,"table":[]}</string>';
    respond = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(xml);
    };
    const body = await client().request({ method: 'POST', path: '/GetRegionsV2', form: { api_key: 'k' }, responseType: 'text', schema: z.string() });
    expect(body).toBe(xml);
  });

  it('reads an empty body as undefined (204)', async () => {
    respond = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(client().request({ method: 'DELETE', path: '/customers/1', schema: z.undefined() })).resolves.toBeUndefined();
  });
});
