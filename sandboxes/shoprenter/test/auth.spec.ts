import { SEEDED } from '../src';
import { basicAuth, useSandbox } from './harness';

const harness = useSandbox();

describe('Shoprenter legacy API: HTTP Basic per shop', () => {
  it('answers the API user of the shop', async () => {
    const response = await harness.call('/languages?limit=1');
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
  });

  it('refuses a wrong password, no credential, or another shop’s API user with 401', async () => {
    for (const authorization of [basicAuth(SEEDED.apiUsername, 'wrong'), null, basicAuth(SEEDED.other.apiUsername, SEEDED.other.apiPassword)]) {
      const response = await harness.call('/orderStatuses', { authorization });
      expect([response.status, response.body]).toEqual([401, { error: 401, message: 'Unauthorized' }]);
      expect(response.headers.get('www-authenticate')).toContain('Basic');
    }
    const globex = await harness.call('/orders', { shop: SEEDED.other.shop, authorization: basicAuth(SEEDED.other.apiUsername, SEEDED.other.apiPassword) });
    expect(globex.body.items).toHaveLength(2);
  });

  it('answers 403 to Basic once the shop has moved to OAuth only (reset option basicAuth: false)', async () => {
    await harness.sandbox.control.reset({ basicAuth: false });
    expect((await harness.call('/orders')).status).toBe(403);
    expect((await harness.call('/orders', { mode: 'oauth' })).status).toBe(200);
  });

  it('answers an unknown shop with 404', async () => {
    expect((await harness.call('/orders', { shop: 'nosuchshop' })).status).toBe(404);
  });
});

describe('Shoprenter OAuth2: client credentials and Bearer tokens', () => {
  it('issues an hour-long Bearer JWT that opens the /api base URL of its shop only', async () => {
    const issued = await harness.token();
    expect(issued.status).toBe(200);
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(issued.body.access_token.split('.')).toHaveLength(3);
    const authorization = `Bearer ${issued.body.access_token}`;
    expect((await harness.call('/orders', { mode: 'oauth', authorization })).status).toBe(200);
    expect((await harness.call('/orders', { mode: 'oauth', authorization, shop: SEEDED.other.shop })).status).toBe(401);
    // Each base URL takes its own kind of credential.
    expect((await harness.call('/orders', { mode: 'basic', authorization })).status).toBe(401);
    expect((await harness.call('/orders', { mode: 'oauth', authorization: basicAuth(SEEDED.apiUsername, SEEDED.apiPassword) })).status).toBe(401);
  });

  it('refuses a wrong secret with invalid_client and a malformed request with invalid_request', async () => {
    const wrong = await harness.token(SEEDED.clientId, 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: 'invalid_client' });
    const otherShop = await harness.token(SEEDED.other.clientId, SEEDED.other.clientSecret, SEEDED.shop);
    expect(otherShop.status).toBe(401);
    const response = await fetch(`${harness.sandbox.url}/oauth/acme/app/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', client_id: SEEDED.clientId }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', hint: expect.any(String) });
  });

  it('refuses an expired token with 401', async () => {
    const authorization = `Bearer ${(await harness.token()).body.access_token}`;
    await harness.sandbox.control.advanceClock(3600 * 1000);
    const expired = await harness.call('/orders', { mode: 'oauth', authorization });
    expect([expired.status, expired.body.message]).toEqual([401, 'The access token has expired']);
  });
});
