import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import { waitFor } from './support';
import { seedWonQuote, startJunction, type Junction } from './zomentum-repairshopr';

// Two-way sync without echo: what Junction wrote into RepairShopr for a won Zomentum quote is not pulled back and
// sent to Zomentum as new records when the RepairShopr streams are read.

let junction: Junction;

beforeAll(async () => {
  junction = await startJunction({
    repairshopr: { customers: 0, productsPerCategory: 0, estimates: 0 },
    zomentum: { documents: 0 },
  });
}, 60_000);

afterAll(() => junction?.close());

interface RunView {
  stream: string;
  state: string;
  counts: { created: number; updated: number; skipped: number; failed: number };
}

it('skips the customer and contacts it created in RepairShopr when pulling them in two-way sync', async () => {
  // Push first, alone, so every RepairShopr record exists before the first pull reads it.
  const integration = await junction.createIntegration({ direction: 'push_only' });
  const { contacts } = await seedWonQuote(junction.zomentum, 'Echo check');
  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  await junction.finishedRuns(integration.id, ['documents'], 1);
  const pushed = await waitFor(async () => {
    const current = await junction.repairshoprState();
    return current.estimates.length >= 3 && current.lineItems.length >= 3 ? current : undefined;
  }, 60_000);
  expect(pushed.customers).toHaveLength(1);
  expect(pushed.contacts).toHaveLength(contacts.length);
  const clientsBefore = await junction.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies');

  const { id, kind, name, sourceConnectionId, targetConnectionId } = integration;
  await junction.api('PUT', `/v1/integrations/${id}?sync=true`, {
    kind,
    name,
    sourceConnectionId,
    targetConnectionId,
    settings: { direction: 'two_way' },
  });
  await junction.finishedRuns(id, ['customers', 'contacts'], 1);

  const { runs } = await junction.api<{ runs: RunView[] }>('GET', `/v1/integrations/${id}/runs`);
  const countsOf = (stream: string) => runs.find((run) => run.stream === stream)?.counts;
  expect(countsOf('customers')).toEqual({ created: 0, updated: 0, skipped: 1, failed: 0 });
  expect(countsOf('contacts')).toEqual({ created: 0, updated: 0, skipped: contacts.length, failed: 0 });
  expect(await junction.zomentum.control.records('client_companies')).toHaveLength(clientsBefore.length);
}, 120_000);
