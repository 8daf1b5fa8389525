import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('RetailCRM authentication and site access', () => {
  it('takes the key in X-API-KEY or the apiKey query parameter', async () => {
    expect((await harness.call('/reference/statuses')).status).toBe(200);
    const byQuery = await harness.call(`/reference/stores?apiKey=${SEEDED.apiKeys.junction}`, { key: null });
    expect(byQuery.body).toEqual({ success: true, stores: [expect.objectContaining({ code: SEEDED.warehouse, type: 'store-type-warehouse' })] });
  });

  it('refuses a missing or wrong key with its error body', async () => {
    expect(await harness.call('/orders', { key: null })).toMatchObject({ status: 403, body: { success: false, errorMsg: '"apiKey" is missing.' } });
    expect(await harness.call('/orders', { key: 'nope' })).toMatchObject({ status: 403, body: { success: false, errorMsg: 'Wrong "apiKey" value.' } });
  });

  it('shows a key only the sites it may reach, and refuses writes to the others', async () => {
    const sites = await harness.call('/reference/sites', { key: SEEDED.apiKeys.websiteOnly });
    expect(Object.keys(sites.body.sites)).toEqual([SEEDED.sites.website]);
    const all = await harness.call('/reference/sites');
    expect(all.body.sites[SEEDED.sites.zzap]).toMatchObject({ code: SEEDED.sites.zzap, currency: 'RUB' });
    const denied = await harness.call('/orders/create', { key: SEEDED.apiKeys.websiteOnly, form: { site: SEEDED.sites.zzap, order: { externalId: 'Z1' } } });
    expect(denied).toMatchObject({ status: 403, body: { success: false, errorMsg: 'Access denied.' } });
    const credentials = await fetch(`${harness.sandbox.url}/api/credentials`, { headers: { 'x-api-key': SEEDED.apiKeys.websiteOnly } });
    expect(await credentials.json()).toMatchObject({ success: true, siteAccess: 'access_selective', sitesAvailable: [SEEDED.sites.website] });
  });

  it('refuses what a key has no scope for with "Access denied.", and lists its scopes', async () => {
    const key = SEEDED.apiKeys.readOnly;
    expect((await harness.call('/orders', { key })).status).toBe(200);
    const write = await harness.call('/orders/create', { key, form: { site: SEEDED.sites.zzap, order: { externalId: 'R1' } } });
    expect(write).toMatchObject({ status: 403, body: { success: false, errorMsg: 'Access denied.' } });
    expect((await harness.call('/store/products', { key })).status).toBe(403);
    const credentials = await fetch(`${harness.sandbox.url}/api/credentials`, { headers: { 'x-api-key': key } });
    expect(await credentials.json()).toMatchObject({ scopes: ['order_read', 'reference_read'], siteAccess: 'access_selective' });
  });

  it('tells the account time zone in the system settings', async () => {
    const { body } = await harness.call('/settings');
    expect(body).toMatchObject({ success: true, settings: { timezone: { value: 'UTC' }, default_currency: { value: 'RUB' } } });
  });

  it('lists order statuses keyed by code, with their groups', async () => {
    const { body } = await harness.call('/reference/statuses');
    expect(body.statuses.new).toEqual({ code: 'new', name: 'Новый', group: 'new', ordering: 10, active: true });
    expect(body.statuses['cancel-other'].group).toBe('cancel');
  });
});
