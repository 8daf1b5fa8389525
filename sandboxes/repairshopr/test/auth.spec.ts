import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();
const NOT_PERMITTED = { error: 'Not authorized. Please ask account admin to update your group permissions.' };

describe('RepairShopr authentication', () => {
  it('answers GET /me for a valid key, sent as Bearer, bare, or ?api_key=', async () => {
    const bearer = await harness.call('/me');
    expect(bearer.status).toBe(200);
    expect(bearer.body).toMatchObject({ user_email: 'owner@acme.example.com', subdomain: 'acme', admin: true });
    const bare = await fetch(`${harness.sandbox.url}/acme/api/v1/me`, { headers: { authorization: SEEDED.tokens.full } });
    expect(bare.status).toBe(200);
    const query = await harness.call(`/me?api_key=${SEEDED.tokens.full}`, { token: null });
    expect(query.status).toBe(200);
  });

  it('refuses a missing, unknown or expired key with 401', async () => {
    for (const token of [null, 'not-a-key', SEEDED.tokens.expired]) {
      const response = await harness.call('/customers', { token });
      expect([response.status, response.body]).toEqual([401, { error: 'Not authorized' }]);
    }
  });

  it("refuses a call outside the token's permissions with the documented 401 body", async () => {
    expect((await harness.call('/customers', { token: SEEDED.tokens.noEstimates })).status).toBe(200);
    for (const path of ['/estimates', '/estimates/1']) {
      const response = await harness.call(path, { token: SEEDED.tokens.noEstimates });
      expect([response.status, response.body]).toEqual([401, NOT_PERMITTED]);
    }
    const body = { customer_id: 1, date: '2025-01-01' };
    const create = await harness.call('/estimates', { token: SEEDED.tokens.noEstimates, method: 'POST', body });
    expect([create.status, create.body]).toEqual([401, NOT_PERMITTED]);
    expect(await harness.sandbox.control.records('estimates')).toHaveLength(2);
  });

  it("keeps subdomains apart: another shop's key is refused and its records are invisible", async () => {
    expect((await harness.call('/me', { token: SEEDED.other.token })).status).toBe(401);
    const globex = await harness.call('/customers', { subdomain: SEEDED.other.subdomain, token: SEEDED.other.token });
    expect(globex.body.meta.total_entries).toBe(2);
    expect((await harness.call('/customers/1', { subdomain: SEEDED.other.subdomain, token: SEEDED.other.token })).status).toBe(404);
  });

  it('answers an unknown subdomain with an HTML 404 page, before looking at the key', async () => {
    const response = await harness.call('/me', { subdomain: 'no-such-shop' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.text).toContain("doesn't exist");
  });

  it('also takes the subdomain from a <subdomain>.repairshopr.com Host header', async () => {
    const { request } = await import('node:http');
    const { port } = new URL(harness.sandbox.url);
    const status = await new Promise<number>((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/me',
          headers: { host: 'globex.repairshopr.com', authorization: `Bearer ${SEEDED.other.token}` },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
  });

  it('logs calls with the token id, never the key itself', async () => {
    await harness.call(`/me?api_key=${SEEDED.tokens.full}`, { token: null });
    await harness.call('/me', { token: SEEDED.tokens.noEstimates });
    const log = await harness.sandbox.control.requests();
    expect(log.map((entry) => [entry.credential, entry.query])).toEqual([
      ['token:1', 'api_key=[redacted]'],
      ['token:2', ''],
    ]);
    expect(JSON.stringify(log)).not.toContain(SEEDED.tokens.full);
  });
});
