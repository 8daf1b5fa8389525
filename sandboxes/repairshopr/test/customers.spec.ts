import { useSandbox } from './harness';

const harness = useSandbox();

describe('RepairShopr customers', () => {
  it('pages by 100 with the meta connectors loop on, and answers an empty page past the end', async () => {
    await harness.sandbox.control.reset({ customers: 230 });
    const first = await harness.call('/customers');
    expect(first.body.meta).toEqual({ total_pages: 3, total_entries: 230, per_page: 100, page: 1 });
    expect(first.body.customers).toHaveLength(100);
    const last = await harness.call('/customers?page=3');
    expect(last.body.customers.map((customer: { id: number }) => customer.id)).toEqual(Array.from({ length: 30 }, (_, i) => 201 + i));
    const beyond = await harness.call('/customers?page=4');
    expect([beyond.status, beyond.body.customers, beyond.body.meta.page]).toEqual([200, [], 4]);
  });

  it('honours the page size set at reset', async () => {
    await harness.sandbox.control.reset({ customers: 5, pageSizes: { customers: 2 } });
    expect((await harness.call('/customers?page=2')).body.meta).toEqual({ total_pages: 3, total_entries: 5, per_page: 2, page: 2 });
  });

  it('embeds contacts and hides the account scope', async () => {
    const { body } = await harness.call('/customers/1');
    expect(body.customer).toMatchObject({ id: 1, fullname: 'Ava Foster', business_then_name: 'Northwind Traders' });
    expect(body.customer.contacts).toHaveLength(2);
    expect(body.customer).not.toHaveProperty('account_id');
  });

  it('filters by query, email, business_name and id[], and ignores since_updated_at as the live API does', async () => {
    const ids = async (path: string) => (await harness.call(path)).body.customers.map((customer: { id: number }) => customer.id);
    expect(await ids('/customers?query=contoso')).toEqual([3]);
    expect(await ids('/customers?query=555-0102')).toEqual([2]);
    expect(await ids('/customers?email=AVA.FOSTER.1@acme-customers.example.com')).toEqual([1]);
    expect(await ids('/customers?business_name=bakery')).toEqual([5]);
    expect(await ids('/customers?id[]=2&id[]=4')).toEqual([2, 4]);
    expect(await ids('/customers?not_id[]=1&firstname=ava')).toEqual([]);
    expect(await ids(`/customers?since_updated_at=${encodeURIComponent(new Date().toISOString())}`)).toHaveLength(12);
  });

  it('sorts by updated_at, the way to find recent changes', async () => {
    await harness.sandbox.control.update('customers', 3, { notes: 'edited in RepairShopr' });
    const { body } = await harness.call(`/customers?sort=${encodeURIComponent('updated_at DESC')}`);
    expect(body.customers[0].id).toBe(3);
  });

  it('leaves disabled customers out unless include_disabled is set', async () => {
    await harness.sandbox.control.update('customers', 2, { disabled: true });
    expect((await harness.call('/customers')).body.meta.total_entries).toBe(11);
    expect((await harness.call('/customers?include_disabled=true')).body.meta.total_entries).toBe(12);
  });

  it('creates a customer from a flat body and stores it (ids are global: the second shop holds 13 and 14)', async () => {
    const created = await harness.call('/customers', {
      method: 'POST',
      body: { business_name: 'Wayne Enterprises', firstname: 'Bruce', lastname: 'Wayne', email: 'bruce@wayne.example', get_sms: 'true' },
    });
    expect(created.status).toBe(200);
    expect(created.body.customer).toMatchObject({
      id: 15,
      fullname: 'Bruce Wayne',
      business_and_full_name: 'Wayne Enterprises - Bruce Wayne',
      get_sms: true,
      contacts: [],
    });
    const stored = (await harness.sandbox.control.records<{ id: number; email: string; account_id: number }>('customers')).find(
      (customer) => customer.id === 15,
    );
    expect(stored).toMatchObject({ email: 'bruce@wayne.example', account_id: 1 });
    expect((await harness.call('/customers/15')).body.customer.created_at).toBe(created.body.customer.created_at);
  });

  it('answers 422 with success:false, the messages and the submitted params', async () => {
    const invalid = await harness.call('/customers', { method: 'POST', body: { firstname: 'First', email: 'it is not an email' } });
    expect([invalid.status, invalid.body]).toEqual([
      422,
      { success: false, message: ['Email is not an email'], params: { firstname: 'First', email: 'it is not an email' } },
    ]);
    const duplicate = await harness.call('/customers', { method: 'POST', body: { email: 'Ava.Foster.1@acme-customers.example.com' } });
    expect([duplicate.status, duplicate.body.message]).toEqual([422, ['Email has already been taken']]);
    // Nothing was stored: still the 12 seeded for acme and the 2 of the second shop.
    expect(await harness.sandbox.control.records('customers')).toHaveLength(14);
  });

  it('updates with PUT, without params in its 422, and answers 404 for an unknown id', async () => {
    const updated = await harness.call('/customers/4', { method: 'PUT', body: { lastname: 'Renamed' } });
    expect(updated.body.customer).toMatchObject({ id: 4, lastname: 'Renamed', fullname: 'Daniel Renamed' });
    expect(updated.body.customer.updated_at > updated.body.customer.created_at).toBe(true);
    const invalid = await harness.call('/customers/4', { method: 'PUT', body: { email: 'nope' } });
    expect([invalid.status, invalid.body]).toEqual([422, { success: false, message: ['Email is not an email'] }]);
    const missing = await harness.call('/customers/999', { method: 'PUT', body: { lastname: 'x' } });
    expect([missing.status, missing.text]).toEqual([404, '']);
  });
});
