import type { RunningSandbox } from '@junction/sandbox-kit';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import { startStack, type ServiceName, type Stack, type StackOptions } from './stack';
import { randomName } from './support';

/** What the acme shop holds (the sandbox also seeds a second shop). */
export interface RepairShoprState {
  customers: repairshoprSandbox.Customer[];
  contacts: repairshoprSandbox.Contact[];
  products: repairshoprSandbox.Product[];
  estimates: repairshoprSandbox.Estimate[];
  lineItems: repairshoprSandbox.LineItem[];
}

export interface IntegrationView {
  id: string;
  kind: string;
  name: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  settings: Record<string, unknown>;
}

/** What a test does with a Zomentum -> RepairShopr pair of sandboxes through the control API. */
export interface ZomentumToRepairShopr {
  repairshopr: RunningSandbox;
  zomentum: RunningSandbox;
  /** A Zomentum -> RepairShopr integration between new connections to both sandboxes. */
  createIntegration(
    settings: Record<string, unknown>,
    options?: { repairshoprToken?: string; zomentumSettings?: Record<string, unknown> },
  ): Promise<IntegrationView>;
  repairshoprState(): Promise<RepairShoprState>;
}

/** Both sandboxes and the mapping, zomentum and repairshopr services, driven by the control API. */
export interface Junction extends Stack<'repairshopr' | 'zomentum'>, ZomentumToRepairShopr {}

/** Starts both sandboxes (reset with the given seed options) and the services of this integration. */
export async function startJunction(
  seeds: { repairshopr: object; zomentum: object },
  options: Pick<StackOptions<string>, 'processes' | 'env'> & { services?: ServiceName[] } = {},
): Promise<Junction> {
  const stack = await startStack({
    services: options.services ?? ['mapping', 'zomentum', 'repairshopr'],
    sandboxes: { repairshopr: repairshoprSandbox.createSandbox(), zomentum: zomentumSandbox.createSandbox() },
    processes: options.processes,
    env: options.env,
  });
  await stack.sandboxes.repairshopr.control.reset(seeds.repairshopr as Record<string, unknown>);
  await stack.sandboxes.zomentum.control.reset(seeds.zomentum as Record<string, unknown>);
  return { ...stack, ...zomentumToRepairShopr(stack) };
}

/** The integration's operations on a stack that runs both sandboxes (among others) and the services. */
export function zomentumToRepairShopr(stack: Pick<Stack<'repairshopr' | 'zomentum'>, 'sandboxes' | 'api'>): ZomentumToRepairShopr {
  const { repairshopr, zomentum } = stack.sandboxes;
  const { api } = stack;
  return {
    repairshopr,
    zomentum,
    async createIntegration(settings, { repairshoprToken = repairshoprSandbox.SEEDED.tokens.full, zomentumSettings = {} } = {}) {
      const source = await api<{ id: string }>('POST', '/v1/connections', {
        connector: 'zomentum',
        name: randomName('Contoso MSP '),
        settings: {
          baseUrl: zomentumSandbox.baseUrlFor(zomentum.url, 'v2'),
          refreshUrl: `${zomentumSandbox.baseUrlFor(zomentum.url, 'v1')}/oauth/access-token`,
          ...zomentumSettings,
        },
        credentials: { accessToken: zomentumSandbox.SEEDED.accessToken, refreshToken: zomentumSandbox.SEEDED.refreshToken },
      });
      const target = await api<{ id: string }>('POST', '/v1/connections', {
        connector: 'repairshopr',
        name: randomName('Acme repairs '),
        settings: { subdomain: 'acme', baseUrl: repairshoprSandbox.baseUrlFor(repairshopr.url, 'acme') },
        credentials: { apiToken: repairshoprToken },
      });
      return api<IntegrationView>('POST', '/v1/integrations', {
        kind: 'zomentum-repairshopr',
        name: randomName('Zomentum and RepairShopr '),
        sourceConnectionId: source.id,
        targetConnectionId: target.id,
        settings,
      });
    },
    async repairshoprState() {
      const acme = async <T extends { account_id: number }>(collection: string) =>
        (await repairshopr.control.records<T>(collection)).filter((record) => record.account_id === 1);
      return {
        customers: await acme('customers'),
        contacts: await acme('contacts'),
        products: await acme('products'),
        estimates: await acme('estimates'),
        lineItems: await acme('line_items'),
      };
    },
  };
}

/** Seeds a quote of the first client (hardware once, software yearly, a service monthly) and marks it won. */
export async function seedWonQuote(zomentum: RunningSandbox, name: string) {
  const { control } = zomentum;
  const [client] = await control.records<zomentumSandbox.ClientCompany>('client_companies');
  const contacts = (await control.records<zomentumSandbox.ClientUser>('client_users')).filter((c) => c.client_company_id === client.id);
  const items = await control.records<zomentumSandbox.Item>('items');
  const line = (item: zomentumSandbox.Item, period: zomentumSandbox.BillingPeriod, quantity: number) => {
    const price = item.pricing.find((entry) => entry.billing_period === period) ?? item.pricing[0];
    return { id: randomName('line'), item_id: item.id, name: item.name, description: null, quantity, billing_period: price.billing_period, sell_price: price.sell_price, setup_price: 0, cost_price: price.cost_price, discount: 0 };
  };
  const byCategory = (category: string) => items.find((item) => item.category?.name === category)!;
  const lines = [line(byCategory('Hardware'), 'one_time', 2), line(byCategory('Software'), 'annually', 5), line(byCategory('Service'), 'monthly', 1)];
  const { documents: [quote] } = (await control.seed({
    documents: [{ account_id: client.account_id, name, document_number: randomName('Q-'), status: 'sent', client_company_id: client.id, client_user_ids: contacts.map((c) => c.id), line_items: lines }],
  })) as unknown as { documents: zomentumSandbox.QuoteDocument[] };
  await control.update('documents', quote.id, { status: 'won' });
  return { client, contacts, lines, byCategory };
}
