import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import { waitFor } from './support';
import { startJunction, type Junction } from './zomentum-repairshopr';

// RepairShopr -> Zomentum pull end to end: customers, contacts created after the integration's date and products of
// its categories become Zomentum clients, contacts and items, each once however often the integration syncs.

const PULLED_STREAMS = ['customers', 'contacts', 'products'];
let junction: Junction;

beforeAll(async () => {
  // Four customers an hour apart, two contacts each; one product per category; an empty Zomentum account.
  junction = await startJunction({
    repairshopr: { customers: 4, contactsPerCustomer: 2, productsPerCategory: 1, estimates: 0 },
    zomentum: { clients: 0, documents: 0 },
  });
}, 60_000);

afterAll(() => junction?.close());

async function zomentumState() {
  const { control } = junction.zomentum;
  return {
    clients: await control.records<zomentumSandbox.ClientCompany>('client_companies'),
    contacts: await control.records<zomentumSandbox.ClientUser>('client_users'),
    items: await control.records<zomentumSandbox.Item>('items'),
  };
}

it('pulls the filtered RepairShopr customers, contacts and products into Zomentum once', async () => {
  const rs = await junction.repairshoprState();
  const itemsBefore = await junction.zomentum.control.records<zomentumSandbox.Item>('items');
  const cutoff = rs.customers[2].created_at;
  const recentContacts = rs.contacts.filter((contact) => Date.parse(contact.created_at) >= Date.parse(cutoff));
  expect(recentContacts.length).toBeGreaterThan(0);
  expect(recentContacts.length).toBeLessThan(rs.contacts.length);
  const integration = await junction.createIntegration({
    direction: 'pull_only',
    contactsCreatedAfter: cutoff,
    productCategories: ['Hardware', 'Labor'],
  });

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  await junction.finishedRuns(integration.id, PULLED_STREAMS, 1);
  const emails = (records: Array<{ email: string | null }>) => records.map((record) => record.email).sort();
  const state = await waitFor(async () => {
    const current = await zomentumState();
    const done = current.clients.length >= rs.customers.length && current.contacts.length >= recentContacts.length;
    return done && current.items.length >= itemsBefore.length + 2 ? current : undefined;
  }, 60_000);

  expect(emails(state.clients)).toEqual(emails(rs.customers));
  expect(emails(state.contacts)).toEqual(emails(recentContacts));
  for (const contact of state.contacts) {
    const rsContact = recentContacts.find((candidate) => candidate.email === contact.email)!;
    const rsCustomer = rs.customers.find((customer) => customer.id === rsContact.customer_id)!;
    expect(state.clients.find((client) => client.id === contact.client_company_id)?.email).toBe(rsCustomer.email);
  }
  const newItems = state.items.filter((item) => !itemsBefore.some((old) => old.id === item.id));
  expect(newItems.map((item) => item.name).sort()).toEqual(['Bench Labor (1h)', 'SSD 1TB']);

  // Syncing again reads the same records: nothing new may appear in Zomentum, and nothing is pushed back.
  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  await junction.finishedRuns(integration.id, PULLED_STREAMS, 2);
  const after = await zomentumState();
  expect([after.clients.length, after.contacts.length, after.items.length]).toEqual([
    state.clients.length,
    state.contacts.length,
    state.items.length,
  ]);
  const rsAfter = await junction.repairshoprState();
  expect([rsAfter.customers.length, rsAfter.contacts.length, rsAfter.products.length]).toEqual([
    rs.customers.length,
    rs.contacts.length,
    rs.products.length,
  ]);
}, 120_000);
