import { messageId, sourceKey, type Deal, type Order, type OrderStatus } from '@junction/contracts';
import type { ServiceName, Stack } from '@junction/e2e/test/stack';
import { shopToCrm } from '@junction/e2e/test/shoprenter-minicrm';
import { zomentumToRepairShopr } from '@junction/e2e/test/zomentum-repairshopr';
import type * as minicrmSandbox from '@junction/sandbox-minicrm';
import type * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import type { RunningSandbox } from '@junction/sandbox-kit';
import type { VendorCall } from './request-tail';

/** A source event the bench publishes as an outside system would (README: "Publishing your own events"). */
export type SourceEvent =
  | { subject: 'order.created'; envelope: EventEnvelope<Order> }
  | { subject: 'deal.won'; envelope: EventEnvelope<Deal> };

interface EventEnvelope<T> {
  id: string;
  type: string;
  version: 1;
  source: { connector: string; connectionId: string };
  occurredAt: string;
  data: T;
}

/**
 * One integration's pipeline as the bench drives it: numbered source events go in, the target sandbox's logged
 * writes come out. Every key of a run carries the run's name, so a target sandbox reset between runs never meets an
 * ID map entry of an earlier run.
 */
export interface PipelineWorkload {
  integration: 'shoprenter-minicrm' | 'zomentum-repairshopr';
  /** What one record is, for the tables: orders, won deals. */
  unit: string;
  targetService: ServiceName;
  target: RunningSandbox;
  /** The target connection and the ID map entity its lookups hit most (cost growth fills it). */
  idMap: { connectionId: string; entityType: string };
  /** Logged target writes that finish one record (a deal becomes one estimate per billing period). */
  writesPerRecord: number;
  isRecordWrite(call: VendorCall): boolean;
  event(run: string, index: number): SourceEvent;
  /** The source record index of every stored record write, in the order the target stored them. */
  writtenIndexes(): Promise<number[]>;
  /** Empties the target sandbox (its limit stays off), so every run starts from the same vendor state. */
  resetTarget(): Promise<void>;
}

/** The sandboxes' own limits are off: the pipeline, not the vendor, is measured. */
async function limitsOff(...sandboxes: RunningSandbox[]): Promise<void> {
  for (const sandbox of sandboxes) await sandbox.control.setRateLimit({ kind: 'off' });
}

/** Shoprenter orders into MiniCRM: `order.created` of the integration's shop connection -> MiniCRM `POST /Api/Order`. */
export async function ordersWorkload(stack: Stack<'shoprenter' | 'minicrm'>): Promise<PipelineWorkload> {
  const { shoprenter, minicrm } = stack.sandboxes;
  await shoprenter.control.reset({ orders: 0 });
  await minicrm.control.reset({});
  await limitsOff(shoprenter, minicrm);
  const operations = shopToCrm(stack);
  const shop = await operations.connectShop();
  const crm = await operations.connectCrm(); // at its highest requestsPerMinute
  const statusMap = await operations.statusMap(shop.id, crm.id);
  const [status] = (await operations.testConnection('shoprenter', shop.id)).orderStatuses ?? [];
  if (!status) throw new Error('the Shoprenter sandbox reported no order statuses');
  await operations.createIntegration(shop.id, crm.id, { statusMap });

  return {
    integration: 'shoprenter-minicrm',
    unit: 'orders',
    targetService: 'minicrm',
    target: minicrm,
    idMap: { connectionId: crm.id, entityType: 'order' },
    writesPerRecord: 1,
    isRecordWrite: (call) => call.method === 'POST' && call.path === '/Api/Order',
    event(run, index) {
      const order = benchOrder(run, index, status);
      const key = sourceKey('shoprenter', shop.id, 'order', order.sourceId);
      return {
        subject: 'order.created',
        envelope: { id: messageId(key, 'created'), type: 'order.created', version: 1, source: { connector: 'shoprenter', connectionId: shop.id }, occurredAt: order.createdAt, data: order },
      };
    },
    async writtenIndexes() {
      const orders = await minicrm.control.records<minicrmSandbox.Order>('orders');
      return orders.sort((a, b) => a.Id - b.Id).map((order) => indexIn(order.Number, ORDER_NUMBER));
    },
    async resetTarget() {
      await minicrm.control.reset({});
      await limitsOff(minicrm);
    },
  };
}

/** Won Zomentum quotes into RepairShopr: `deal.won` -> customer, contact, products and two estimates. */
export async function dealsWorkload(stack: Stack<'zomentum' | 'repairshopr'>): Promise<PipelineWorkload> {
  const { zomentum, repairshopr } = stack.sandboxes;
  const emptyRepairShopr = { customers: 0, productsPerCategory: 0, estimates: 0 };
  await zomentum.control.reset({ clients: 0, documents: 0 });
  await repairshopr.control.reset(emptyRepairShopr);
  await limitsOff(zomentum, repairshopr);
  const operations = zomentumToRepairShopr(stack);
  const integration = await operations.createIntegration(
    { direction: 'push_only' },
    { zomentumSettings: { requestsPerMinute: 6_000 } }, // its highest
  );

  return {
    integration: 'zomentum-repairshopr',
    unit: 'won deals',
    targetService: 'repairshopr',
    target: repairshopr,
    idMap: { connectionId: integration.targetConnectionId, entityType: 'customer' },
    writesPerRecord: 2,
    isRecordWrite: (call) => call.method === 'POST' && call.path.endsWith('/api/v1/estimates'),
    event(run, index) {
      const deal = benchDeal(run, index);
      const key = sourceKey('zomentum', integration.sourceConnectionId, 'document', deal.sourceId);
      return {
        subject: 'deal.won',
        envelope: { id: messageId(key, 'won'), type: 'deal.won', version: 1, source: { connector: 'zomentum', connectionId: integration.sourceConnectionId }, occurredAt: deal.wonAt, data: deal },
      };
    },
    async writtenIndexes() {
      const estimates = await repairshopr.control.records<repairshoprSandbox.Estimate>('estimates');
      return estimates.sort((a, b) => a.id - b.id).map((estimate) => indexIn(estimate.name ?? '', DEAL_TITLE));
    },
    async resetTarget() {
      await repairshopr.control.reset(emptyRepairShopr);
      await limitsOff(repairshopr);
    },
  };
}

const ORDER_NUMBER = /^B-\S+-(\d+)$/;
const DEAL_TITLE = /^Bench \S+ (\d+)/;

function indexIn(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match) throw new Error(`"${text}" was not written by the bench`);
  return Number(match[1]);
}

/** Order `index` of a run: two lines, a buyer of its own except every fifth, who ordered the order before too. */
function benchOrder(run: string, index: number, status: OrderStatus): Order {
  const buyer = index % 5 === 4 ? index - 1 : index;
  return {
    sourceId: `${run}-${index}`,
    number: `B-${run}-${index}`,
    status,
    customer: {
      sourceId: `${run}-buyer-${buyer}`,
      firstName: 'Bence',
      lastName: `Vevő ${buyer}`,
      email: `buyer-${buyer}.${run}@bench.example`,
      phone: `+36 30 ${String(buyer % 10_000_000).padStart(7, '0')}`,
    },
    billingAddress: { line1: 'Kossuth tér 2.', city: 'Szeged', postalCode: '6720', countryCode: 'HU' },
    items: [
      { sourceId: `${run}-${index}-1`, productSourceId: '101', sku: 'MUG-001', name: 'Kerámia bögre', quantity: 2, unitPrice: 2362, taxRate: 27 },
      { sourceId: `${run}-${index}-2`, productSourceId: '102', sku: 'TEA-010', name: 'Zöld tea', quantity: 1, unitPrice: 1590, taxRate: 27 },
    ],
    totals: { currency: 'HUF', subtotal: 6314, shipping: 1490, tax: 1705, total: 9509 },
    coupons: [],
    paymentMethod: 'Bankkártya',
    shippingMethod: 'GLS',
    createdAt: new Date().toISOString(),
  };
}

/** Deal `index` of a run: a new customer and contact, two of the run's ten products, billed once and monthly. */
function benchDeal(run: string, index: number): Deal {
  const customer = `${run}-c${index}`;
  const product = (number: number) => {
    const once = number % 2 === 1;
    return {
      sourceId: `${run}-p${number}`,
      name: `Bench ${once ? 'laptop' : 'backup'} ${number}`,
      category: once ? 'Hardware' : 'Service',
      price: 100 + number,
      billingPeriod: once ? ('one_time' as const) : ('monthly' as const),
    };
  };
  const products = [product(2 * (index % 5)), product(2 * (index % 5) + 1)];
  return {
    sourceId: `${run}-${index}`,
    number: `BQ-${run}-${index}`,
    title: `Bench ${run} ${index}`,
    currency: 'USD',
    customer: { sourceId: customer, businessName: `Bench customer ${run} ${index}`, email: `c${index}.${run}@bench.example` },
    contacts: [{ sourceId: `${customer}-1`, customerSourceId: customer, firstName: 'Bea', lastName: `Contact ${index}`, email: `contact-${index}.${run}@bench.example` }],
    lineItems: products.map((item) => ({ product: item, quantity: 1, unitPrice: item.price, billingPeriod: item.billingPeriod })),
    wonAt: new Date().toISOString(),
  };
}
