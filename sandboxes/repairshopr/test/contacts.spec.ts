import { useSandbox } from './harness';

const harness = useSandbox();

describe('RepairShopr contacts', () => {
  it("lists a customer's contacts with page meta", async () => {
    const { body } = await harness.call('/contacts?customer_id=2');
    expect(body.contacts.map((contact: { id: number; customer_id: number }) => [contact.id, contact.customer_id])).toEqual([
      [3, 2],
      [4, 2],
    ]);
    expect(body.meta).toEqual({ total_pages: 1, total_entries: 2, per_page: 50, page: 1 });
    expect((await harness.call('/contacts')).body.meta).toEqual({ total_pages: 1, total_entries: 24, per_page: 50, page: 1 });
  });

  it('creates a contact and answers the bare object, address1/address2 spelled as contacts spell them', async () => {
    const created = await harness.call('/contacts', {
      method: 'POST',
      body: { customer_id: 2, name: 'Jane Doe', email: 'jane@example.com', address1: '1 Main St', phone: '(555) 123-4567' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: 27,
      customer_id: 2,
      account_id: 1,
      name: 'Jane Doe',
      address1: '1 Main St',
      processed_phone: '5551234567',
    });
    expect(created.body).not.toHaveProperty('contact');
    const stored = await harness.sandbox.control.records<{ id: number; email: string }>('contacts');
    expect(stored.find((contact) => contact.id === 27)?.email).toBe('jane@example.com');
    expect((await harness.call('/contacts/27')).body).toEqual(created.body);
    expect((await harness.call('/customers/2')).body.customer.contacts).toHaveLength(3);
  });

  it('updates a contact in place: fields given change, the customer and the rest stay, updated_at moves', async () => {
    const [before] = (await harness.sandbox.control.records<{ id: number; updated_at: string }>('contacts')).filter((c) => c.id === 3);
    await harness.sandbox.control.advanceClock(60_000);
    const updated = await harness.call('/contacts/3', { method: 'PUT', body: { phone: '(555) 987-6543', email: 'new@example.com', customer_id: 7 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: 3, customer_id: 2, phone: '(555) 987-6543', email: 'new@example.com', processed_phone: '5559876543' });
    expect(updated.body).not.toHaveProperty('contact');
    expect(Date.parse(updated.body.updated_at)).toBeGreaterThan(Date.parse(before.updated_at));
    expect((await harness.call('/contacts/3')).body).toEqual(updated.body);

    const invalid = await harness.call('/contacts/3', { method: 'PUT', body: { email: 'xxx' } });
    expect([invalid.status, invalid.body.errors]).toEqual([422, 'Email is not an email']);
    const otherShop = await harness.call('/contacts/25', { method: 'PUT', body: { phone: '1' } });
    expect([otherShop.status, otherShop.body]).toEqual([404, { message: 'Not found' }]);
  });

  it('answers 422 with the unsaved record and the messages as one string', async () => {
    const response = await harness.call('/contacts', { method: 'POST', body: { name: 'Bad Email', email: 'xxx' } });
    expect(response.status).toBe(422);
    expect(response.body.errors).toBe("Customer can't be blank,Email is not an email");
    expect(response.body.record).toMatchObject({
      id: null,
      name: 'Bad Email',
      email: 'xxx',
      customer_id: null,
      created_at: null,
      processed_phone: null,
    });
  });

  it('answers 404 with a message for an unknown customer or contact', async () => {
    const unknownCustomer = await harness.call('/contacts', { method: 'POST', body: { customer_id: 999, name: 'Nobody' } });
    expect([unknownCustomer.status, unknownCustomer.body]).toEqual([404, { message: 'Not found' }]);
    const otherShop = await harness.call('/contacts/25');
    expect([otherShop.status, otherShop.body]).toEqual([404, { message: 'Not found' }]);
  });
});
