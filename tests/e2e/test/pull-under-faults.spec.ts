import type * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import { waitFor } from './support';
import { startJunction, type Junction } from './zomentum-repairshopr';

// A 500-customer RepairShopr pull that meets a 429 burst, 5xx answers and a SIGKILL of the repairshopr service in
// the middle ends with every customer in Zomentum exactly once. The repairshopr service runs as its own process
// with a short sync lease, so the run it held when killed is taken over by the next request.

const CUSTOMERS = 500;
let junction: Junction;

beforeAll(async () => {
  junction = await startJunction(
    {
      repairshopr: { customers: CUSTOMERS, contactsPerCustomer: 0, productsPerCategory: 0, estimates: 0, pageSizes: { customers: 25 } },
      zomentum: { clients: 0, documents: 0 },
    },
    { processes: ['repairshopr'], env: { SYNC_LEASE_MS: '3000' } },
  );
  // Zomentum's limit is not under test here, RepairShopr's is: this Zomentum account allows far more than the default.
  await junction.zomentum.control.setRateLimit({ kind: 'off' });
}, 90_000);

afterAll(() => junction?.close());

it('syncs every customer exactly once through a 429 burst, 5xx answers and a crash of the repairshopr service', async () => {
  const acme = (await junction.repairshopr.control.records<repairshoprSandbox.Customer>('customers')).filter(
    (customer) => customer.account_id === 1,
  );
  expect(acme).toHaveLength(CUSTOMERS);
  const integration = await junction.createIntegration(
    { direction: 'pull_only', contactSync: false, productSync: false },
    { zomentumSettings: { requestsPerMinute: 6_000 } },
  );
  await junction.repairshopr.control.setFaults({
    seed: 7,
    rules: [
      { kind: 'rate-limit', pathPrefix: '/acme/api/v1/customers', retryAfterSeconds: 1, count: 3 },
      { kind: 'error', status: 502, pathPrefix: '/acme/api/v1/customers', rate: 0.2, count: 4 },
      // Slow pages keep the run going long enough to be killed in the middle.
      { kind: 'latency', ms: 150, pathPrefix: '/acme/api/v1/customers' },
    ],
  });

  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  const mid = await waitFor(async () => {
    const run = (await junction.runs(integration.id)).find((candidate) => candidate.stream === 'customers');
    return run && run.state === 'running' && run.progress.done >= 100 && run.progress.done < CUSTOMERS ? run : undefined;
  }, 60_000);
  await junction.kill('repairshopr');
  await junction.restart('repairshopr');

  // The killed run keeps its lease for 3 s; a request after that marks it failed and resumes from its cursor.
  await new Promise((resolve) => setTimeout(resolve, 3_500));
  await junction.api('POST', `/v1/integrations/${integration.id}/sync`);
  const runs = await waitFor(async () => {
    const current = (await junction.runs(integration.id)).filter((run) => run.stream === 'customers');
    return current.some((run) => run.state === 'succeeded') ? current : undefined;
  }, 90_000);
  expect(runs.find((run) => run.runId === mid.runId)).toMatchObject({ state: 'failed', error: { code: 'lease_expired' } });

  const clients = await waitFor(async () => {
    const current = await junction.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies');
    return current.length >= CUSTOMERS ? current : undefined;
  }, 90_000);
  // Give in-flight commands a moment: a duplicate would show up now, not later.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const final = await junction.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies');
  expect(final).toHaveLength(CUSTOMERS);
  expect(new Set(final.map((client) => client.email)).size).toBe(CUSTOMERS);
  expect(final.map((client) => client.email).sort()).toEqual(acme.map((customer) => customer.email).sort());
  expect(clients.length).toBe(CUSTOMERS);

  // The faults did happen: the sandbox answered with them.
  const answered = (await junction.repairshopr.control.requests()).map((request) => request.status);
  expect(answered.filter((status) => status === 429).length).toBeGreaterThanOrEqual(3);
  expect(answered.filter((status) => status === 502).length).toBeGreaterThanOrEqual(1);
}, 240_000);
