import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();
const DAY_MS = 24 * 3_600_000;

function refresh(refreshToken: string = SEEDED.refreshToken) {
  return harness.call('/oauth/access-token', {
    version: 'v1',
    method: 'POST',
    token: null,
    body: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });
}

describe('Zomentum authentication', () => {
  it('accepts the seeded access token under /v2 and /v1', async () => {
    const v2 = await harness.call('/users?page=1&limit=1');
    expect(v2.status).toBe(200);
    expect(v2.body.data).toHaveLength(1);
    expect((await harness.call('/users', { version: 'v1' })).status).toBe(200);
  });

  it('answers 401 for a missing or unknown token', async () => {
    const missing = await harness.call('/client/companies', { token: null });
    expect([missing.status, missing.body]).toEqual([401, { statusCode: 401, error: 'Unauthorized', message: 'Missing access token' }]);
    const unknown = await harness.call('/client/companies', { token: 'not-a-token' });
    expect([unknown.status, unknown.body.message]).toEqual([401, 'Invalid access token']);
  });

  it('expires the access token after 24 hours, and a refresh brings a working one', async () => {
    await harness.sandbox.control.advanceClock(DAY_MS - 1_000);
    expect((await harness.call('/users')).status).toBe(200);
    await harness.sandbox.control.advanceClock(1_000);
    const expired = await harness.call('/users');
    expect([expired.status, expired.body.message]).toEqual([401, 'Access token has expired']);
    const renewed = await refresh();
    expect(renewed.status).toBe(200);
    expect(Object.keys(renewed.body)).toEqual(['access_token']);
    expect((await harness.call('/users', { token: renewed.body.access_token })).status).toBe(200);
  });

  it('invalidates the old access token when a new one is issued', async () => {
    const renewed = await refresh();
    expect(renewed.body.access_token).not.toBe(SEEDED.accessToken);
    const old = await harness.call('/users');
    expect([old.status, old.body.message]).toEqual([401, 'Invalid access token']);
    expect((await harness.call('/users', { token: renewed.body.access_token })).status).toBe(200);
  });

  it('leaves only the last of two racing refreshes valid: why a connector must refresh exactly once', async () => {
    const [first, second] = await Promise.all([refresh(), refresh()]);
    const statusWith = async (token: string) => (await harness.call('/users', { token })).status;
    const statuses = await Promise.all([first, second].map((answer) => statusWith(answer.body.access_token)));
    expect(statuses.sort()).toEqual([200, 401]);
    const credential = (await harness.sandbox.control.records<{ generation: number }>('api_credentials'))[0];
    expect(credential.generation).toBe(3);
  });

  it('also refreshes through the older GET endpoint with the refresh token in the query', async () => {
    const response = await harness.call(`/auth0/access_token?refresh_token=${SEEDED.refreshToken}`, { token: null });
    expect(response.status).toBe(200);
    expect((await harness.call('/users', { token: response.body.access_token })).status).toBe(200);
  });

  it('refuses an unknown refresh token (401) and a wrong grant type (400)', async () => {
    expect((await refresh('nope')).status).toBe(401);
    const wrongGrant = await harness.call('/oauth/access-token', {
      version: 'v1',
      method: 'POST',
      token: null,
      body: { grant_type: 'password', refresh_token: SEEDED.refreshToken },
    });
    expect([wrongGrant.status, wrongGrant.body.message]).toEqual([400, 'grant_type must be refresh_token']);
  });

  it('answers 403 to an API user of an account without API access (Starter plan)', async () => {
    const response = await harness.call('/client/companies', { token: SEEDED.starterPlan.accessToken });
    expect([response.status, response.body]).toEqual([
      403,
      { statusCode: 403, error: 'Forbidden', message: 'API access is available on the Growth plan only' },
    ]);
    expect((await refresh(SEEDED.starterPlan.refreshToken)).status).toBe(403);
  });

  it('logs the API user behind each call, never a token', async () => {
    await harness.call('/users');
    await harness.call(`/auth0/access_token?refresh_token=${SEEDED.refreshToken}`, { token: null });
    const log = await harness.sandbox.control.requests();
    expect(log.map((entry) => entry.credential)).toEqual([expect.stringMatching(/^api-user:/), log[0].credential]);
    expect(log[1].query).toBe('refresh_token=[redacted]');
    const text = JSON.stringify(log);
    expect(text).not.toContain(SEEDED.accessToken);
    expect(text).not.toContain(SEEDED.refreshToken);
  });
});
