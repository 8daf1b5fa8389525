import { ConnectionView, ControlReply, type ConnectionOperation } from '@junction/contracts';
import { FakeVendor } from './support/fake-vendor';
import { Harness, query } from './support/harness';
import { testConnector } from './support/test-connector';

const harness = new Harness();
const vendor = new FakeVendor('tok-good-c0ffee42');

beforeAll(async () => {
  await harness.open();
  await harness.startRuntime(testConnector(vendor));
});

afterAll(() => harness.close());

const control = (op: ConnectionOperation, body: unknown) => harness.control('repairshopr', op, body);

describe('the connection control API', () => {
  let connectionId: string;

  it('stores a new connection with its credentials sealed', async () => {
    const credentials = { apiToken: vendor.token };
    const reply = await control('upsert', { name: 'Acme', settings: { subdomain: 'acme' }, credentials });

    const parsed = ControlReply(ConnectionView).parse(reply);
    if (!parsed.ok) throw new Error(parsed.error.message);
    connectionId = parsed.data.id;
    expect(parsed.data).toMatchObject({
      connector: 'repairshopr',
      name: 'Acme',
      settings: { subdomain: 'acme' },
      hasCredentials: true,
    });
    expect(JSON.stringify(reply)).not.toContain(vendor.token);
    const [row] = await query<{ sealed_credentials: string }>(
      `SELECT sealed_credentials FROM "${harness.schema}".connections WHERE id = $1`,
      [connectionId],
    );
    expect(row.sealed_credentials).toMatch(/^v1\./);
    expect(row.sealed_credentials).not.toContain(vendor.token);
    expect(harness.cipher.open(row.sealed_credentials, connectionId)).toBe(JSON.stringify({ apiToken: vendor.token }));
  });

  it('never returns credentials from get or list', async () => {
    const got = await control('get', { connectionId });
    const listed = await control('list', {});

    expect(got).toEqual({
      ok: true,
      data: {
        id: connectionId,
        connector: 'repairshopr',
        name: 'Acme',
        settings: { subdomain: 'acme' },
        hasCredentials: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    });
    expect(listed).toEqual({ ok: true, data: [(got as { data: unknown }).data] });
  });

  it('tests the stored credentials against the vendor', async () => {
    expect(await control('test', { connectionId })).toEqual({
      ok: true,
      data: { ok: true, message: 'Connected', details: { customers: 0 } },
    });

    // Updating only the settings keeps the credentials; new credentials replace them.
    await control('upsert', { connectionId, name: 'Acme', settings: { subdomain: 'acme2' } });
    expect(await control('test', { connectionId })).toMatchObject({ ok: true, data: { ok: true } });
    const revoked = { apiToken: 'tok-revoked-31337' };
    await control('upsert', { connectionId, name: 'Acme', settings: { subdomain: 'acme2' }, credentials: revoked });

    const failed = await control('test', { connectionId });
    expect(failed).toEqual({
      ok: true,
      data: {
        ok: false,
        message:
          'credentials rejected by fakevendor: fakevendor GET /me failed: 401 Unauthorized: API token [REDACTED] is not valid',
      },
    });
  });

  it('rejects invalid requests naming the field', async () => {
    const valid = { apiToken: 'long-enough-token' };
    expect(await control('upsert', { name: 'Acme', settings: {}, credentials: valid })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^settings\.subdomain: /) },
    });
    const tooShort = { apiToken: 'short' };
    expect(await control('upsert', { name: 'Acme', settings: { subdomain: 'x' }, credentials: tooShort })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^credentials\.apiToken: /) },
    });
    expect(await control('upsert', { name: 'Acme', settings: { subdomain: 'x' } })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^credentials\.apiToken: /) },
    });
    expect(await control('get', {})).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^connectionId: /) },
    });
  });

  it('answers not_found for a connection it does not have, and deletes', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await control('get', { connectionId: unknown })).toEqual({
      ok: false,
      error: { code: 'not_found', message: `unknown connection ${unknown}` },
    });
    expect(await control('delete', { connectionId })).toEqual({ ok: true, data: { connectionId, deleted: true } });
    expect(await control('delete', { connectionId })).toEqual({ ok: true, data: { connectionId, deleted: false } });
    expect(await control('list', {})).toEqual({ ok: true, data: [] });
  });
});
