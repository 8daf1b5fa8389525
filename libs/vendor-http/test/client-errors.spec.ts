import { inspect } from 'node:util';
import { z } from 'zod';
import { VendorHttpClient, VendorHttpError, VendorValidationError, type VendorHttpClientOptions } from '../src';
import { closedPort, sendJson, startVendorServer, type Responder, type VendorServer } from './vendor-server';

describe('VendorHttpClient errors', () => {
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
      auth: () => ({ Authorization: 'Bearer rs-token-8d1e' }),
      rateLimitKey: 'conn-1',
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      ...options,
    });

  describe('validation errors (400/422)', () => {
    it.each([
      [
        '{errors: {field: [msg]}}',
        422,
        { errors: { email: ['has already been taken'] } },
        { email: ['has already been taken'] },
        'repairshopr POST /customers failed: 422 Unprocessable Entity: email has already been taken',
      ],
      [
        '{errors: [{field, message}]}',
        422,
        { errors: [{ field: 'email', message: 'is invalid' }, { field: 'phone', message: 'Phone is too long' }] },
        { email: ['is invalid'], phone: ['Phone is too long'] },
        'repairshopr POST /customers failed: 422 Unprocessable Entity: email is invalid; phone: Phone is too long',
      ],
      [
        '{message}',
        422,
        { message: 'Customer could not be saved' },
        { base: ['Customer could not be saved'] },
        'repairshopr POST /customers failed: 422 Unprocessable Entity: Customer could not be saved',
      ],
      [
        '{errorMsg, errors} (RetailCRM)',
        400,
        { success: false, errorMsg: 'Errors in the entity format', errors: { 'customer.email': 'Invalid email' } },
        { 'customer.email': ['Invalid email'] },
        'repairshopr POST /customers failed: 400 Bad Request: Errors in the entity format: customer.email: Invalid email',
      ],
      [
        '{error: string}',
        422,
        { error: 'Validation failed: Item can\'t be blank, Name can\'t be blank' },
        { base: ['Validation failed: Item can\'t be blank, Name can\'t be blank'] },
        'repairshopr POST /customers failed: 422 Unprocessable Entity: Validation failed: Item can\'t be blank, Name can\'t be blank',
      ],
      [
        'a plain-text body (MiniCRM)',
        400,
        'Invalid value for field: StatusId',
        { base: ['Invalid value for field: StatusId'] },
        'repairshopr POST /customers failed: 400 Bad Request: Invalid value for field: StatusId',
      ],
    ])('reads %s', async (_shape, status, body, fieldErrors, message) => {
      respond = (_req, res) => {
        if (typeof body === 'string') {
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(body);
        } else {
          sendJson(res, status, body);
        }
      };
      const error = await client().request({ method: 'POST', path: '/customers', body: {}, schema: z.unknown() }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(VendorValidationError);
      expect(error).toMatchObject({ code: 'validation', status, retryable: false, fieldErrors });
      expect((error as Error).message).toBe(message);
      expect(server.received).toHaveLength(1);
    });
  });

  describe('secrets', () => {
    const bearer = 'rs-token-8d1e';
    const apiKey = 'rk/api+key=9f';
    const extraSecret = 'connection-password-77';

    const leaky = () =>
      client({
        authQuery: () => ({ api_key: apiKey }),
        secrets: [extraSecret],
        redact: (text) => text.replace(/shop-\d+/g, 'shop-***'),
      });

    const expectNoSecrets = (error: unknown) => {
      expect(error).toBeInstanceOf(VendorHttpError);
      const views = [
        (error as Error).message,
        (error as Error).stack ?? '',
        JSON.stringify(error),
        inspect(error, { depth: 5, showHidden: true }),
      ];
      for (const view of views) {
        for (const secret of [bearer, apiKey, encodeURIComponent(apiKey), extraSecret, 'shop-123']) {
          expect(view).not.toContain(secret);
        }
      }
    };

    it('keeps them out of a validation error that echoes the request', async () => {
      respond = (req, res) =>
        sendJson(res, 422, {
          errors: { [`key_${apiKey}`]: [`token ${req.headers.authorization} is not allowed for shop-123`] },
          params: { url: req.url.toString(), password: extraSecret },
        });
      const error = (await leaky()
        .request({
          method: 'POST',
          path: '/customers',
          query: { token: 'query-token-1', page: 1 },
          body: {},
          schema: z.unknown(),
        })
        .catch((e: unknown) => e)) as VendorValidationError;

      expectNoSecrets(error);
      expect(JSON.stringify(error)).not.toContain('query-token-1');
      expect(error.path).toBe('/customers?token=[REDACTED]&page=1');
      expect(error.fieldErrors).toEqual({ 'key_[REDACTED]': ['token [REDACTED] is not allowed for shop-***'] });
      expect(error.bodyExcerpt).toContain('"password":"[REDACTED]"');
    });

    it('keeps them out of an HTML error page, a schema error and a connection error', async () => {
      respond = (req, res) => {
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end(`<html><body><pre>${req.url} ${req.headers.authorization} ${extraSecret}</pre></body></html>`);
      };
      expectNoSecrets(await leaky().request({ method: 'GET', path: '/customers', schema: z.unknown() }).catch((e: unknown) => e));

      respond = (req, res) => sendJson(res, 200, { [bearer]: apiKey, shop: 'shop-123' });
      const schemaError = await leaky()
        .request({ method: 'GET', path: '/me', schema: z.record(z.string(), z.number()) })
        .catch((e: unknown) => e);
      expectNoSecrets(schemaError);
      expect((schemaError as Error).message).toContain('[REDACTED]: expected number, received string');

      const unreachable = new VendorHttpClient({
        vendor: 'retailcrm',
        baseUrl: `http://127.0.0.1:${await closedPort()}/api/v5`,
        authQuery: () => ({ apiKey }),
        auth: () => ({ 'X-API-KEY': apiKey, Authorization: `Bearer ${bearer}` }),
        rateLimitKey: 'conn-2',
        retry: { maxAttempts: 1 },
      });
      expectNoSecrets(await unreachable.request({ method: 'GET', path: '/orders', schema: z.unknown() }).catch((e: unknown) => e));
    });
  });

  it('keeps e-mail addresses and phone numbers the vendor echoes out of the error, and its words in', async () => {
    const email = 'olive.oneil@outside.example.com';
    respond = (_req, res) =>
      sendJson(res, 422, {
        success: false,
        message: [`Email ${email} has already been taken`, 'Phone +36 30 123 4567 is not a mobile number'],
        params: { business_name: 'Outside LLC', email, phone: '06301234567' },
      });
    const error = (await client()
      .request({ method: 'POST', path: '/customers', query: { email, Phone: '06301234567' }, body: {}, schema: z.unknown() })
      .catch((e: unknown) => e)) as VendorValidationError;

    for (const view of [error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 5, showHidden: true })]) {
      expect(view).not.toMatch(/olive|4567|06301234567/);
    }
    expect(error.message).toBe(
      'repairshopr POST /customers?email=[email]&Phone=[phone] failed: 422 Unprocessable Entity: ' +
        'Email [email] has already been taken; Phone [phone] is not a mobile number',
    );
    expect(error.bodyExcerpt).toContain('"params":{"business_name":"Outside LLC","email":"[email]","phone":"[phone]"}');
  });
});
