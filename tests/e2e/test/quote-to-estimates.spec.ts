import { waitFor } from './support';
import { seedWonQuote, startJunction, type Junction } from './zomentum-repairshopr';

// Zomentum -> RepairShopr end to end: both sandboxes, the mapping, zomentum and repairshopr services in this process
// on real Postgres and NATS. A won quote becomes one RepairShopr estimate per billing period (quote sync type 1) or
// a single estimate (type 2), exactly once.

let junction: Junction;

beforeAll(async () => {
  junction = await startJunction({
    repairshopr: { customers: 0, productsPerCategory: 0, estimates: 0 },
    zomentum: { documents: 0 },
  });
}, 60_000);

afterAll(() => junction?.close());

it('turns a won quote with mixed billing periods into one estimate per period, once, however often it syncs', async () => {
  const integration = await junction.createIntegration({ direction: 'push_only' });
  const { client, contacts, lines, byCategory } = await seedWonQuote(junction.zomentum, 'Office refresh');
  expect(new Set(lines.map((entry) => entry.billing_period)).size).toBe(3);

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  const state = await waitFor(async () => {
    const current = await junction.repairshoprState();
    return current.estimates.length >= 3 && current.lineItems.length >= 3 ? current : undefined;
  }, 60_000);

  expect(state.customers).toEqual([expect.objectContaining({ business_name: client.name })]);
  expect(state.contacts.map((contact) => contact.email).sort()).toEqual(contacts.map((contact) => contact.email).sort());
  expect(state.contacts.every((contact) => contact.customer_id === state.customers[0].id)).toBe(true);
  expect(state.products.map((product) => [product.name, product.product_category]).sort()).toEqual(
    [
      [byCategory('Hardware').name, 'Hardware'],
      [byCategory('Software').name, 'Default'],
      [byCategory('Service').name, 'Labor'],
    ].sort(),
  );
  expect(state.estimates).toHaveLength(3);
  for (const entry of lines) {
    const product = state.products.find((candidate) => candidate.name === entry.name)!;
    const estimateLines = state.lineItems.filter((item) => item.product_id === product.id);
    expect(estimateLines).toHaveLength(1);
    expect([Number(estimateLines[0].quantity), Number(estimateLines[0].price)]).toEqual([entry.quantity, entry.sell_price]);
    const estimate = state.estimates.find((candidate) => candidate.id === estimateLines[0].estimate_id)!;
    expect(estimate).toMatchObject({ customer_id: state.customers[0].id, name: expect.stringMatching(/^Office refresh \(/) });
  }

  // A second sync reads the same won quote again: nothing new may appear at RepairShopr.
  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  await junction.finishedRuns(integration.id, ['documents'], 2);
  const after = await junction.repairshoprState();
  expect(after.customers).toHaveLength(1);
  expect(after.contacts).toHaveLength(state.contacts.length);
  expect(after.products).toHaveLength(3);
  expect(after.estimates).toHaveLength(3);
  expect(after.lineItems).toHaveLength(state.lineItems.length);
}, 120_000);

it('turns a won quote with mixed billing periods into a single estimate when quote sync type 1 is off', async () => {
  const integration = await junction.createIntegration({ direction: 'push_only', quoteSyncType1: false });
  const { client, lines } = await seedWonQuote(junction.zomentum, 'Branch office');

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  await junction.finishedRuns(integration.id, ['documents'], 1);
  // The new integration also pulls the quote won before it; only this quote's estimates matter here.
  const ofThisQuote = (estimate: { name: string | null }) => estimate.name?.startsWith('Branch office') ?? false;
  const state = await waitFor(async () => {
    const current = await junction.repairshoprState();
    const [estimate] = current.estimates.filter(ofThisQuote);
    const estimateLines = current.lineItems.filter((item) => item.estimate_id === estimate?.id);
    return estimateLines.length >= lines.length ? current : undefined;
  }, 60_000);

  const created = state.estimates.filter(ofThisQuote);
  expect(created).toHaveLength(1);
  const customer = state.customers.find((candidate) => candidate.id === created[0].customer_id);
  expect(customer?.business_name).toBe(client.name);
  const estimateLines = state.lineItems.filter((item) => item.estimate_id === created[0].id);
  const productName = (productId: number | null) => state.products.find((product) => product.id === productId)?.name;
  expect(estimateLines.map((item) => [productName(item.product_id), Number(item.quantity), Number(item.price)]).sort()).toEqual(
    lines.map((entry) => [entry.name, entry.quantity, entry.sell_price]).sort(),
  );
}, 120_000);
