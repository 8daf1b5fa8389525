import { waitFor } from './support';
import { shopOrderNumber, startShopToCrm, type ShopToCrm } from './shoprenter-minicrm';

// Shoprenter -> MiniCRM under failure: 5xx and 429 bursts from both vendors, a SIGKILL of the shoprenter service in
// the middle of its pull and one of the minicrm service in the middle of its writes still end with every order in
// MiniCRM exactly once. Both connectors run as processes with a short sync lease.

const ORDERS = 600;
let junction: ShopToCrm;

beforeAll(async () => {
  junction = await startShopToCrm(
    { shoprenter: { orders: ORDERS } },
    { processes: ['shoprenter', 'minicrm'], env: { SYNC_LEASE_MS: '3000', COMMAND_CONCURRENCY: '4' } },
  );
}, 90_000);

afterAll(() => junction?.close());

const crmOrderNumbers = async () => (await junction.crmState()).orders.map((order) => order.Number);

it('syncs every order exactly once through vendor faults and crashes of both connectors', async () => {
  const shopId = (await junction.connectShop()).id;
  const crmId = (await junction.connectCrm()).id;
  const statusMap = await junction.statusMap(shopId, crmId);
  const { id: integrationId } = await junction.createIntegration(shopId, crmId, { statusMap });
  await junction.shoprenter.control.setFaults({
    seed: 3,
    rules: [
      { kind: 'error', status: 503, pathPrefix: '/acme/orderExtend', count: 2 },
      { kind: 'rate-limit', pathPrefix: '/acme/orderExtend', retryAfterSeconds: null, count: 2 },
      // Slow pages keep the pull going long enough to be killed in the middle.
      { kind: 'latency', ms: 400, pathPrefix: '/acme/orderExtend' },
    ],
  });
  await junction.minicrm.control.setFaults({
    seed: 5,
    rules: [
      { kind: 'error', status: 500, pathPrefix: '/Api/R3/Contact', rate: 0.05, count: 6 },
      { kind: 'rate-limit', pathPrefix: '/Api/Order', retryAfterSeconds: null, count: 3 },
      { kind: 'lose-response', pathPrefix: '/Api/Order', methods: ['POST'], rate: 0.05, count: 3 },
    ],
  });

  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  const midPull = await waitFor(async () => {
    const run = (await junction.runs(integrationId))[0];
    return run?.state === 'running' && run.progress.done >= 200 && run.progress.done < ORDERS ? run : undefined;
  }, 120_000, 50);
  await junction.kill('shoprenter');
  await junction.restart('shoprenter');

  // The minicrm service dies while it writes the orders the first pages brought.
  await waitFor(async () => ((await crmOrderNumbers()).length >= 50 ? true : undefined), 120_000, 200);
  await junction.kill('minicrm');
  await junction.restart('minicrm');

  // The killed pull kept its lease for 3 s; the next Sync marks it failed and resumes from its cursor.
  await new Promise((resolve) => setTimeout(resolve, 3_500));
  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  await waitFor(async () => ((await junction.runs(integrationId)).some((run) => run.state === 'succeeded') ? true : undefined), 120_000, 500);
  expect((await junction.runs(integrationId)).find((run) => run.runId === midPull.runId)).toMatchObject({ state: 'failed' });

  const expected = (await junction.shopOrders()).map(shopOrderNumber).sort();
  await waitFor(async () => ((await crmOrderNumbers()).length >= ORDERS ? true : undefined), 180_000, 1_000);
  // In-flight retries would show a duplicate now, not later.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const numbers = await crmOrderNumbers();
  expect(numbers).toHaveLength(ORDERS);
  expect(numbers.sort()).toEqual(expected);
  const { contacts } = await junction.crmState();
  const buyers = new Set((await junction.shopOrders()).map((order) => order.email.toLowerCase()));
  expect(contacts.filter((contact) => buyers.has(contact.Email.toLowerCase()))).toHaveLength(buyers.size);

  const faultsSeen = async (sandbox: typeof junction.minicrm) => (await sandbox.control.requests()).flatMap((request) => request.faults ?? []);
  expect(await faultsSeen(junction.shoprenter)).toEqual(expect.arrayContaining(['error', 'rate-limit']));
  expect(await faultsSeen(junction.minicrm)).toEqual(expect.arrayContaining(['error', 'rate-limit', 'lose-response']));
}, 480_000);
