import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import { waitFor } from './support';
import { startJunction, type Junction } from './zomentum-repairshopr';

// Scheduled syncs end to end, with the scheduler running: an integration gets the seed's default schedules (push
// every 5 minutes, pulls every hour), and a pull whose schedule is shortened to every minute runs by itself.

let junction: Junction;

beforeAll(async () => {
  junction = await startJunction(
    {
      repairshopr: { customers: 3, contactsPerCustomer: 0, productsPerCategory: 0, estimates: 0 },
      zomentum: { clients: 0, documents: 0 },
    },
    { services: ['mapping', 'scheduler', 'zomentum', 'repairshopr'], env: { TICK_MS: '250' } },
  );
}, 60_000);

afterAll(() => junction?.close());

interface ScheduleView {
  connector: string;
  stream: string;
  kind: string;
  everyMinutes?: number;
}

it('gives a new integration the default schedules: push every 5 minutes, pulls every hour', async () => {
  const integration = await junction.createIntegration({});
  const { schedules } = await junction.api<{ schedules: ScheduleView[] }>('GET', `/v1/integrations/${integration.id}`);
  expect(schedules.map(({ connector, stream, kind, everyMinutes }) => [connector, stream, kind, everyMinutes])).toEqual([
    ['zomentum', 'documents', 'interval', 5],
    ['repairshopr', 'customers', 'interval', 60],
    ['repairshopr', 'contacts', 'interval', 60],
    ['repairshopr', 'products', 'interval', 60],
  ]);
  // Nothing else may run for this test: the integration is removed again.
  await junction.api('DELETE', `/v1/integrations/${integration.id}`);
});

it('pulls RepairShopr customers into Zomentum on its schedule, without anyone pressing Sync', async () => {
  const rs = await junction.repairshoprState();
  const integration = await junction.createIntegration({
    direction: 'pull_only',
    contactSync: false,
    productSync: false,
    schedules: { 'repairshopr.customers': { kind: 'interval', everyMinutes: 1 } },
  });

  // The next whole minute fires the schedule.
  const [run] = await junction.finishedRuns(integration.id, ['customers'], 1, 75_000);
  expect(run).toMatchObject({ stream: 'customers', state: 'succeeded', counts: { created: rs.customers.length } });
  const runs = await junction.api<{ runs: Array<{ reason: string }> }>('GET', `/v1/integrations/${integration.id}/runs`);
  expect(runs.runs.map((entry) => entry.reason)).toEqual(['schedule']);
  const clients = await waitFor(async () => {
    const current = await junction.zomentum.control.records<zomentumSandbox.ClientCompany>('client_companies');
    return current.length >= rs.customers.length ? current : undefined;
  }, 30_000);
  expect(clients.map((client) => client.email).sort()).toEqual(rs.customers.map((customer) => customer.email).sort());
}, 120_000);
