import type { Deal } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { NATS_URL, randomName, waitFor } from './support';
import { startJunction, type Junction } from './zomentum-repairshopr';

// A deal.won published by an outside system (not the zomentum connector) following the AsyncAPI document becomes
// estimates in RepairShopr once, however often it is delivered: with the same id under a new Nats-Msg-Id (past the
// broker's dedupe) and even with a new envelope id (the ID map still knows the deal).

let junction: Junction;
let bus: Bus;

beforeAll(async () => {
  junction = await startJunction({
    repairshopr: { customers: 0, productsPerCategory: 0, estimates: 0 },
    zomentum: { clients: 0, documents: 0 },
  });
  bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-outside-system', namespace: junction.namespace });
}, 60_000);

afterAll(async () => {
  await bus?.close();
  await junction?.close();
});

function deal(sourceId: string): Deal {
  const product = (id: string, name: string, category: string, billingPeriod: Deal['lineItems'][number]['billingPeriod'], price: number) => ({
    sourceId: id,
    name,
    category,
    price,
    billingPeriod,
  });
  const lines = [
    product(`${sourceId}-p1`, 'Outside laptop', 'Hardware', 'one_time', 900),
    product(`${sourceId}-p2`, 'Outside backup', 'Service', 'monthly', 25),
  ];
  return {
    sourceId,
    number: `EXT-${sourceId}`,
    title: 'Published from outside',
    currency: 'USD',
    customer: { sourceId: `${sourceId}-c`, businessName: 'Outside Customer LLC', email: `${sourceId}@outside.example.com` },
    contacts: [{ sourceId: `${sourceId}-ct`, customerSourceId: `${sourceId}-c`, firstName: 'Olive', email: `olive.${sourceId}@outside.example.com` }],
    lineItems: lines.map((item) => ({ product: item, quantity: 2, unitPrice: item.price, billingPeriod: item.billingPeriod })),
    wonAt: '2026-11-30T10:00:00Z',
  };
}

it('turns an outside deal.won into estimates once, whatever the redelivery', async () => {
  const integration = await junction.createIntegration({ direction: 'push_only' });
  const sourceId = randomName('ext');
  const envelope = {
    id: `crm-export:${sourceId}:won`,
    type: 'deal.won',
    version: 1,
    source: { connector: 'zomentum', connectionId: integration.sourceConnectionId },
    occurredAt: '2026-11-30T10:00:00Z',
    data: deal(sourceId),
  };
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  await bus.publish('deal.won', envelope, { headers: { traceparent } });
  const ofDeal = async () => {
    const state = await junction.repairshoprState();
    const customer = state.customers.find((candidate) => candidate.business_name === 'Outside Customer LLC');
    return { state, customer, estimates: state.estimates.filter((estimate) => estimate.customer_id === customer?.id) };
  };
  const first = await waitFor(async () => {
    const current = await ofDeal();
    const lines = current.state.lineItems.filter((line) => current.estimates.some((estimate) => estimate.id === line.estimate_id));
    return current.estimates.length === 2 && lines.length === 2 ? current : undefined;
  }, 60_000);
  expect(first.estimates.map((estimate) => estimate.name).sort()).toEqual([
    expect.stringMatching(/^Published from outside \(/),
    expect.stringMatching(/^Published from outside \(/),
  ]);

  // Redelivered past the broker's dedupe window (new Nats-Msg-Id), then republished by the sender with a new id.
  await bus.publish('deal.won', envelope, { msgId: `${envelope.id}:again`, headers: { traceparent } });
  await bus.publish('deal.won', { ...envelope, id: `crm-export:${sourceId}:won:retry` });
  // A later deal shows both redeliveries have been handled (deal.won is consumed in order).
  const marker = { ...envelope, id: `crm-export:${sourceId}-marker:won`, data: { ...deal(`${sourceId}m`), customer: { ...deal(`${sourceId}m`).customer, businessName: 'Marker Inc' } } };
  await bus.publish('deal.won', marker);
  await waitFor(async () => {
    const state = await junction.repairshoprState();
    const customer = state.customers.find((candidate) => candidate.business_name === 'Marker Inc');
    return customer && state.estimates.filter((estimate) => estimate.customer_id === customer.id).length === 2;
  }, 60_000);

  const after = await ofDeal();
  expect(after.state.customers.filter((customer) => customer.business_name === 'Outside Customer LLC')).toHaveLength(1);
  expect(after.estimates).toHaveLength(2);
  expect(after.state.contacts.filter((contact) => contact.customer_id === after.customer?.id)).toHaveLength(1);
}, 120_000);
