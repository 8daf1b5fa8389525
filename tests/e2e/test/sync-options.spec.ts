import { SEEDED } from '@junction/sandbox-repairshopr';
import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import { waitFor } from './support';
import { seedWonQuote, startJunction, type Junction } from './zomentum-repairshopr';

// The sync options, end to end: pull only sends nothing to RepairShopr, push only nothing to Zomentum, and a
// RepairShopr token without the Estimates permission fails the estimates visibly on the run while the customer,
// contacts and products still arrive.

let junction: Junction;

beforeAll(async () => {
  junction = await startJunction({
    repairshopr: { customers: 3, contactsPerCustomer: 1, productsPerCategory: 1, estimates: 0 },
    zomentum: { clients: 1, documents: 0 },
  });
}, 60_000);

afterAll(() => junction?.close());

const zomentumClients = () => junction.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies');

it('pull only brings RepairShopr records into Zomentum and pushes no won quote to RepairShopr', async () => {
  const integration = await junction.createIntegration({ direction: 'pull_only' });
  await seedWonQuote(junction.zomentum, 'Not pushed');
  const before = await junction.repairshoprState();

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  const runs = await junction.finishedRuns(integration.id, ['customers', 'contacts', 'products'], 1);
  expect(runs.map((run) => run.stream)).not.toContain('documents');
  const clientsBefore = 1;
  await waitFor(async () => ((await zomentumClients()).length >= clientsBefore + before.customers.length ? true : undefined), 30_000);

  const after = await junction.repairshoprState();
  expect(after.estimates).toEqual([]);
  expect(after.customers).toHaveLength(before.customers.length);
}, 90_000);

it('push only writes the won quote to RepairShopr and sends no RepairShopr record to Zomentum', async () => {
  const integration = await junction.createIntegration({ direction: 'push_only' });
  const clientsBefore = await zomentumClients();
  const { client } = await seedWonQuote(junction.zomentum, 'Pushed only');

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  const runs = await junction.finishedRuns(integration.id, ['documents'], 1);
  expect(runs.map((run) => run.stream)).toEqual(['documents']);
  const state = await waitFor(async () => {
    const current = await junction.repairshoprState();
    return current.estimates.some((estimate) => estimate.name?.startsWith('Pushed only')) ? current : undefined;
  }, 60_000);
  expect(state.customers.some((customer) => customer.business_name === client.name)).toBe(true);
  // The RepairShopr customers (the seeded ones and the one just written) stay out of Zomentum.
  expect(await zomentumClients()).toHaveLength(clientsBefore.length);
}, 90_000);

it('shows estimates refused for a missing permission on the run, while everything else syncs', async () => {
  const integration = await junction.createIntegration(
    { direction: 'push_only' },
    { repairshoprToken: SEEDED.tokens.noEstimates },
  );
  const { client, contacts } = await seedWonQuote(junction.zomentum, 'No permission');

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  const runs = await waitFor(async () => {
    const current = await junction.runs(integration.id);
    return current.some((run) => run.stream === 'documents' && run.failures.length > 0) ? current : undefined;
  }, 60_000);
  const documents = runs.find((run) => run.stream === 'documents')!;
  expect(documents.state).toBe('succeeded');
  expect(documents.failures[0]).toMatchObject({
    connector: 'repairshopr',
    entityType: 'estimate',
    error: { message: expect.stringContaining('update your group permissions') },
  });

  const state = await junction.repairshoprState();
  const customer = state.customers.find((candidate) => candidate.business_name === client.name);
  expect(customer).toBeDefined();
  expect(state.contacts.filter((contact) => contact.customer_id === customer?.id)).toHaveLength(contacts.length);
  expect(state.estimates.filter((estimate) => estimate.name?.startsWith('No permission'))).toEqual([]);
}, 90_000);
