import { SEEDED, WEBSHOP_BEFORE_ORDER } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('MiniCRM authentication: HTTP Basic SystemId + API key', () => {
  it('answers the system’s categories for its key', async () => {
    const response = await harness.call('/Api/R3/Category');
    expect(response.status).toBe(200);
    expect(Object.values(response.body)).toEqual(['Értékesítés', 'Megrendelés', 'Webshop']);
  });

  it('refuses a wrong key, an unknown system or no credentials with a plain-text 401', async () => {
    for (const credentials of [[SEEDED.systemId, 'wrong'], [99999, SEEDED.apiKey], null] as const) {
      const response = await harness.call('/Api/R3/Category', { credentials: credentials as [number, string] | null });
      expect([response.status, response.text]).toEqual([401, 'Unauthorized: Access denied']);
      expect(response.headers.get('content-type')).toContain('text/plain');
    }
    expect((await harness.call('/Api/Order/List', { credentials: [SEEDED.systemId, 'wrong'] })).status).toBe(401);
  });

  it('answers the manual’s literal 404 when reset with unauthorizedStatus: 404', async () => {
    await harness.sandbox.control.reset({ unauthorizedStatus: 404 });
    const response = await harness.call('/Api/R3/Category', { credentials: [SEEDED.systemId, 'wrong'] });
    expect([response.status, response.text]).toEqual([404, 'Unauthorized: Access denied']);
  });

  it('keeps systems apart: another system sees its own records only', async () => {
    const other = [SEEDED.other.systemId, SEEDED.other.apiKey] as [number, string];
    const ours = await harness.call('/Api/R3/Contact?Email=kovacs.peter@example.hu');
    const theirs = await harness.call('/Api/R3/Contact?Email=kovacs.peter@example.hu', { credentials: other });
    expect(Object.keys(ours.body.Results)).not.toEqual(Object.keys(theirs.body.Results));
    expect((await harness.call(`/Api/R3/Contact/${Object.keys(theirs.body.Results)[0]}`)).status).toBe(404);
  });
});

describe('MiniCRM products (categories) and their statuses', () => {
  it('lists categories in detail and each category’s statuses in its project schema', async () => {
    const { order, webshop } = await harness.categories();
    const schema = await harness.call(`/Api/R3/Schema/Project/${order}`);
    expect(Object.values(schema.body.StatusId)).toEqual(['Új megrendelés', 'Feldolgozás alatt', 'Kiszállítva', 'Teljesítve', 'Sztornózva']);
    expect(schema.body).toMatchObject({ Name: 'Text(512)', Text1301: 'Text(512)' });
    expect(Object.values((await harness.call(`/Api/R3/Schema/Project/${webshop}`)).body.StatusId)).toContain('Törzsvásárló');
    expect((await harness.call('/Api/R3/Schema/Project/999')).status).toBe(404);
  });

  it('sets the Order product up before the Webshop one and refuses the other way round', async () => {
    const refused = await fetch(`${harness.sandbox.url}/__sandbox/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ products: ['Webshop', 'Order'] }),
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain(WEBSHOP_BEFORE_ORDER);
    await expect(harness.sandbox.control.reset({ products: ['Webshop'] })).rejects.toThrow();
    await harness.sandbox.control.reset({ products: ['Order'] });
    expect((await harness.categories()).webshop).toBeUndefined();
    await harness.sandbox.control.reset({ products: [] });
    const orderWithoutModule = await harness.call('/Api/Order', { method: 'POST', body: { CustomerId: 1, Items: [] } });
    expect([orderWithoutModule.status, orderWithoutModule.text]).toEqual([400, 'Order: The Order module is not enabled in this system.']);
  });
});
