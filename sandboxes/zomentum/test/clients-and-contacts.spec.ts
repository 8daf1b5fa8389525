import { useSandbox } from './harness';

const harness = useSandbox();

describe('Zomentum clients', () => {
  it('pages with page/limit, and counts in filtered_count_map.all only when count_query_flag=true', async () => {
    await harness.sandbox.control.reset({ clients: 45 });
    const first = await harness.call('/client/companies?count_query_flag=true&page=1&limit=20');
    expect(first.body.filtered_count_map).toEqual({ all: 45 });
    expect(first.body.data).toHaveLength(20);
    const last = await harness.call('/client/companies?count_query_flag=true&page=3&limit=20');
    expect(last.body.data).toHaveLength(5);
    expect(last.body.data[4].name).toBe('Cedar & Co Law 8');
    const uncounted = await harness.call('/client/companies?page=1&limit=1000');
    expect(uncounted.body).not.toHaveProperty('filtered_count_map');
    expect(uncounted.body.data).toHaveLength(45);
  });

  it('filters with field:operator:value triples, dates and nested fields included', async () => {
    const clients = (await harness.call('/client/companies')).body.data as Array<{ id: string; created_at: string }>;
    const since = clients[3].created_at;
    const recent = await harness.call(`/client/companies?count_query_flag=true&filters=${encodeURIComponent(`created_at:gte:${since};`)}`);
    expect(recent.body.filtered_count_map.all).toBe(3);
    const filters = encodeURIComponent('name:contains:clinic;billing_address.city:eq:Springfield;');
    const named = await harness.call(`/client/companies?filters=${filters}`);
    expect(named.body.data.map((client: { name: string }) => client.name)).toEqual(['Evergreen Clinic']);
  });

  it('refuses a malformed filter and a limit over 1000 with 400', async () => {
    expect((await harness.call('/client/companies?filters=name:like:x;')).body.message).toMatch(/Invalid filter operator "like"/);
    expect((await harness.call('/client/companies?filters=name;')).status).toBe(400);
    expect((await harness.call('/client/companies?limit=1001')).status).toBe(400);
  });

  it('creates a client with an opaque string id and stores it', async () => {
    const created = await harness.call('/client/companies', {
      method: 'POST',
      body: { name: 'Acme Ltd', email: 'office@acme.example', billing_address: { city: 'Budapest', country: 'Hungary' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Acme Ltd',
      company_type: 'customer',
      billing_address: { city: 'Budapest', country: 'Hungary', address_line_1: null },
    });
    expect(created.body).not.toHaveProperty('account_id');
    const stored = await harness.sandbox.control.records<{ id: string; name: string }>('client_companies');
    expect(stored.find((client) => client.id === created.body.id)?.name).toBe('Acme Ltd');
    expect((await harness.call(`/client/companies/${created.body.id}`)).body).toEqual(created.body);
  });

  it('answers 400 with every field at fault', async () => {
    const response = await harness.call('/client/companies', { method: 'POST', body: { name: ' ', email: 'not-an-email' } });
    expect([response.status, response.body]).toEqual([
      400,
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        errors: [
          { field: 'name', message: 'name is required' },
          { field: 'email', message: 'email must be a valid email' },
        ],
      },
    ]);
  });

  it('updates with PUT (merging the address) and answers 404 for an unknown id', async () => {
    const [client] = (await harness.call('/client/companies?limit=1')).body.data;
    const body = { phone: '+1 555 9999', billing_address: { city: 'Shelbyville' } };
    const updated = await harness.call(`/client/companies/${client.id}`, { method: 'PUT', body });
    expect(updated.body).toMatchObject({
      phone: '+1 555 9999',
      billing_address: { city: 'Shelbyville', address_line_1: '1 Market Street' },
    });
    expect(updated.body.updated_at > client.updated_at).toBe(true);
    const missing = await harness.call('/client/companies/65a0c11e47ffffffffffffff', { method: 'PUT', body: { name: 'x' } });
    expect([missing.status, missing.body.message]).toEqual([404, 'Client company not found']);
  });
});

describe('Zomentum contacts (client users)', () => {
  it('lists contacts with their name object and filters by client', async () => {
    const [client] = (await harness.call('/client/companies?limit=1')).body.data;
    const { body } = await harness.call(`/client/users?count_query_flag=true&filters=client_company_id:eq:${client.id};`);
    expect(body.filtered_count_map.all).toBe(2);
    expect(body.data[0]).toMatchObject({
      client_company_id: client.id,
      name: { first: expect.any(String), last: expect.any(String) },
      contact_type: 'primary_contact',
    });
  });

  it('creates a contact of a client, and refuses a missing name, type or unknown client with 400', async () => {
    const [client] = (await harness.call('/client/companies?limit=1')).body.data;
    const created = await harness.call('/client/users', {
      method: 'POST',
      body: {
        name: { first: 'Jane', last: 'Doe' },
        client_company_id: client.id,
        contact_type: 'primary_contact',
        email: 'jane@example.com',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: { first: 'Jane', last: 'Doe' }, client_company_id: client.id, email: 'jane@example.com' });
    const invalid = await harness.call('/client/users', { method: 'POST', body: { name: 'Jane Doe', client_company_id: 'nope' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual(['name.first', 'client_company_id', 'contact_type']);
  });
});
