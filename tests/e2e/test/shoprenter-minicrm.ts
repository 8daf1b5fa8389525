import type { RunningSandbox } from '@junction/sandbox-kit';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import { startStack, type ServiceName, type Stack, type StackOptions } from './stack';
import { randomName } from './support';

export interface StatusOption {
  id: string;
  name: string;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
  orderStatuses?: StatusOption[];
}

/** What MiniCRM system 12345 holds. */
export interface CrmState {
  orders: minicrmSandbox.Order[];
  contacts: minicrmSandbox.Contact[];
  projects: minicrmSandbox.Project[];
  statuses: minicrmSandbox.Status[];
  categories: minicrmSandbox.Category[];
}

/** What a test does with a Shoprenter -> MiniCRM pair of sandboxes through the control API. */
export interface ShopToCrmOperations {
  shoprenter: RunningSandbox;
  minicrm: RunningSandbox;
  /** A Shoprenter connection to the acme shop (Basic auth), or with the given password. */
  connectShop(password?: string): Promise<{ id: string }>;
  /** A MiniCRM connection to system 12345; it allows as many requests as the test needs (the sandbox's limit is off). */
  connectCrm(): Promise<{ id: string }>;
  testConnection(connector: 'shoprenter' | 'minicrm', id: string): Promise<ConnectionTest>;
  /**
   * The shop's statuses paired in order with MiniCRM's Order statuses (Függőben lévő -> Új megrendelés, ...), as the
   * connection tests report them; `leaveOut` shop status names stay unmapped.
   */
  statusMap(shopId: string, crmId: string, leaveOut?: string[]): Promise<Record<string, StatusOption>>;
  createIntegration(shopId: string, crmId: string, settings: Record<string, unknown>): Promise<{ id: string }>;
  crmState(): Promise<CrmState>;
  shopOrders(): Promise<shoprenterSandbox.Order[]>;
}

/** Both sandboxes and the services of a Shoprenter -> MiniCRM integration, driven by the control API. */
export interface ShopToCrm extends Stack<'shoprenter' | 'minicrm'>, ShopToCrmOperations {}

/** The number a Shoprenter order is known by (as the connector tells it): the invoice number once there is one. */
export function shopOrderNumber(order: shoprenterSandbox.Order): string {
  return order.invoiceId && order.invoiceId !== '0' ? `${order.invoicePrefix}${order.invoiceId}` : String(order.innerId);
}

export async function startShopToCrm(
  seeds: { shoprenter: object; minicrm?: object },
  options: Pick<StackOptions<string>, 'processes' | 'env'> & { services?: ServiceName[] } = {},
): Promise<ShopToCrm> {
  const stack = await startStack({
    services: options.services ?? ['mapping', 'shoprenter', 'minicrm'],
    sandboxes: { shoprenter: shoprenterSandbox.createSandbox(), minicrm: minicrmSandbox.createSandbox() },
    processes: options.processes,
    env: options.env,
  });
  await stack.sandboxes.shoprenter.control.reset(seeds.shoprenter as Record<string, unknown>);
  await stack.sandboxes.minicrm.control.reset((seeds.minicrm ?? {}) as Record<string, unknown>);
  await stack.sandboxes.minicrm.control.setRateLimit({ kind: 'off' });
  return { ...stack, ...shopToCrm(stack) };
}

/** The integration's operations on a stack that runs both sandboxes (among others) and the services. */
export function shopToCrm(stack: Pick<Stack<'shoprenter' | 'minicrm'>, 'sandboxes' | 'api'>): ShopToCrmOperations {
  const { shoprenter, minicrm } = stack.sandboxes;
  const { api } = stack;
  const testConnection = (connector: 'shoprenter' | 'minicrm', id: string) =>
    api<ConnectionTest>('POST', `/v1/connections/${connector}/${id}/test`);
  const crm = async <T>(collection: string) =>
    (await minicrm.control.records<T & { SystemId: number }>(collection)).filter((record) => record.SystemId === minicrmSandbox.SEEDED.systemId);

  return {
    shoprenter,
    minicrm,
    connectShop(password = shoprenterSandbox.SEEDED.apiPassword) {
      return api<{ id: string }>('POST', '/v1/connections', {
        connector: 'shoprenter',
        name: randomName('Acme webshop '),
        settings: { apiUrl: shoprenterSandbox.baseUrlFor(shoprenter.url, 'acme'), auth: 'basic' },
        credentials: { username: shoprenterSandbox.SEEDED.apiUsername, password },
      });
    },
    connectCrm() {
      return api<{ id: string }>('POST', '/v1/connections', {
        connector: 'minicrm',
        name: randomName('Demo Kft. '),
        settings: {
          systemId: String(minicrmSandbox.SEEDED.systemId),
          baseUrl: minicrm.url,
          couponCodesField: 'Text1301',
          requestsPerMinute: 60_000,
        },
        credentials: { apiKey: minicrmSandbox.SEEDED.apiKey },
      });
    },
    testConnection,
    async statusMap(shopId, crmId, leaveOut = []) {
      const shop = (await testConnection('shoprenter', shopId)).orderStatuses ?? [];
      const order = (await testConnection('minicrm', crmId)).orderStatuses ?? [];
      return Object.fromEntries(
        shop.flatMap((status, index) => (leaveOut.includes(status.name) ? [] : [[status.id, order[index % order.length]]])),
      );
    },
    createIntegration(shopId, crmId, settings) {
      return api<{ id: string }>('POST', '/v1/integrations', {
        kind: 'shoprenter-minicrm',
        name: randomName('Webshop '),
        sourceConnectionId: shopId,
        targetConnectionId: crmId,
        settings,
      });
    },
    async crmState() {
      return {
        orders: await crm<minicrmSandbox.Order>('orders'),
        contacts: await crm<minicrmSandbox.Contact>('contacts'),
        projects: await crm<minicrmSandbox.Project>('projects'),
        statuses: await minicrm.control.records<minicrmSandbox.Status>('statuses'),
        categories: await crm<minicrmSandbox.Category>('categories'),
      };
    },
    async shopOrders() {
      const orders = await shoprenter.control.records<shoprenterSandbox.Order>('orders');
      return orders.filter((order) => order.shopId === 1);
    },
  };
}
