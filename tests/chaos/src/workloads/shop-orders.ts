import type { Stack } from '@junction/e2e/test/stack';
import { shopOrderNumber, shopToCrm, type ShopToCrmOperations, type StatusOption } from '@junction/e2e/test/shoprenter-minicrm';
import type * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import type { ControlApi } from '../control-api';
import { differs, tallyByKey, type DeadLetterOrigin, type TallyRow, type Workload } from './workload';

const INTEGRATION = 'shoprenter-minicrm';

interface ExpectedOrder {
  email: string;
  /** MiniCRM status name the shop status maps to. */
  status: string;
}

/** Shoprenter -> MiniCRM: generated webshop orders become MiniCRM orders once each, with their buyer and mapped status. */
export class ShopOrders implements Workload {
  readonly integration = INTEGRATION;
  private readonly shop: ShopToCrmOperations;
  integrationId = '';
  private shopStatuses: StatusOption[] = [];
  private statusMap: Record<string, StatusOption> = {};

  constructor(
    stack: Stack<'shoprenter' | 'minicrm'>,
    private readonly api: ControlApi,
    private readonly orders: number,
  ) {
    this.shop = shopToCrm(stack);
  }

  async setUp(): Promise<void> {
    await this.shop.shoprenter.control.reset({ orders: this.orders });
    await this.shop.minicrm.control.reset();
    // The connection allows as many requests as the run needs; the sandbox's own limit stays out of the way.
    await this.shop.minicrm.control.setRateLimit({ kind: 'off' });
    const shopId = (await this.shop.connectShop()).id;
    const crmId = (await this.shop.connectCrm()).id;
    this.shopStatuses = (await this.shop.testConnection('shoprenter', shopId)).orderStatuses ?? [];
    this.statusMap = await this.shop.statusMap(shopId, crmId);
    this.integrationId = (await this.shop.createIntegration(shopId, crmId, { statusMap: this.statusMap })).id;
  }

  async drive(): Promise<void> {
    await this.api('POST', `/v1/integrations/${this.integrationId}/sync`);
  }

  changesMade(): boolean {
    return true;
  }

  async tally(): Promise<TallyRow[]> {
    const shopOrders = await this.shop.shopOrders();
    const statusNames = await this.shop.shoprenter.control.records<shoprenterSandbox.OrderStatus>('orderStatuses');
    const crm = await this.shop.crmState();
    const expectedOrders = new Map<string, ExpectedOrder>(
      shopOrders.map((order) => [shopOrderNumber(order), { email: order.email.toLowerCase(), status: this.mappedStatus(order, statusNames) }]),
    );
    const contactEmail = new Map(crm.contacts.map((contact) => [contact.Id, contact.Email.toLowerCase()]));
    const projectStatus = new Map(crm.projects.map((project) => [project.Id, project.StatusId]));
    const statusName = new Map(crm.statuses.map((status) => [status.Id, status.Name]));
    const orders = tallyByKey(
      INTEGRATION,
      'order',
      expectedOrders,
      crm.orders.map((order) => ({
        key: order.Number,
        wrong: (expected: ExpectedOrder) =>
          differs('buyer', contactEmail.get(order.CustomerId), expected.email) ??
          differs('status', statusName.get(projectStatus.get(order.ProjectId) ?? -1), expected.status),
      })),
    );
    const buyers = new Map(shopOrders.map((order) => [order.email.toLowerCase(), true]));
    const contacts = tallyByKey(INTEGRATION, 'contact', buyers, crm.contacts.map((contact) => ({ key: contact.Email.toLowerCase(), wrong: () => undefined })));
    return [orders, contacts];
  }

  entityOf(letter: DeadLetterOrigin): string | undefined {
    const ours = letter.integrationId === this.integrationId || letter.subject.startsWith('cmd.minicrm.') || letter.sourceConnector === 'shoprenter';
    if (!ours) return undefined;
    return letter.subject.includes('contact') ? 'contact' : 'order';
  }

  /** The MiniCRM status the integration's map gives the order's shop status (paired by the shop status's name). */
  private mappedStatus(order: shoprenterSandbox.Order, statusNames: shoprenterSandbox.OrderStatus[]): string {
    const name = statusNames.find((status) => status.innerId === order.orderStatusId)?.name;
    const shopStatus = this.shopStatuses.find((status) => status.name === name);
    return (shopStatus && this.statusMap[shopStatus.id]?.name) ?? `unmapped shop status ${name}`;
  }
}
