import { messageId, sourceKey, type OrderStatusChange } from '@junction/contracts';
import { integrationOf, wonDeal } from '../../test/support/fixtures';
import type { Integration } from '../integrations/integration';
import type { EventOf, PlanContext, RoutedSubject } from './event-route';
import { planCommands as planEvent } from './plan-commands';
import { dealWonRoute } from './routes/deal-won.route';
import { orderStatusChangedRoute } from './routes/order-status.route';
import { orderCreatedRoute } from './routes/order.routes';
import {
  contactCreatedRoute,
  contactUpdatedRoute,
  customerCreatedRoute,
  customerUpdatedRoute,
  productCreatedRoute,
  productUpdatedRoute,
} from './routes/repairshopr-pull.routes';

/** The commands an event calls for; these tests' integrations never make an event wait unless they say so. */
async function planCommands(...args: Parameters<typeof planEvent>) {
  const plan = await planEvent(...args);
  expect(plan.waiting).toEqual([]);
  return plan.commands;
}

const ZM = 'zm-1';
const RS = 'rs-1';

/**
 * Links as record.written would have left them: RetailCRM order 77 was written for ZZap order 312, order 79 for an
 * order of another ZZap account; Zomentum client c-1, contact u-1 and product p-1 were pushed to RepairShopr (rs-1)
 * by a won document.
 */
const pushedToRepairShopr = new Set(['client:c-1', 'contact:u-1', 'product:p-1'].map((key) => `zomentum:zm-1:${key}`));
const retailCrmLinks: Record<string, string> = { '77': 'zzap:zz-1:order:312', '79': 'zzap:zz-2:order:500' };
const context: PlanContext = {
  links: {
    sourceKeysOf: async ({ connector, connectionId, externalId }) =>
      connector === 'retailcrm' && connectionId === 'rc-1' && retailCrmLinks[externalId] ? [retailCrmLinks[externalId]] : [],
    isWritten: async (connector, connectionId, key) => connector === 'repairshopr' && connectionId === 'rs-1' && pushedToRepairShopr.has(key),
  },
};

function event<S extends RoutedSubject>(subject: S, connector: string, connectionId: string, data: EventOf<S>['data']): EventOf<S> {
  return {
    id: messageId(connector, connectionId, subject, 'e1'),
    type: subject,
    version: 1,
    source: { connector, connectionId },
    occurredAt: '2024-09-23T13:00:00Z',
    data,
  } as EventOf<S>;
}

const zomentumRepairShopr = (settings: object = {}) =>
  integrationOf('zomentum-repairshopr', settings, { sourceConnectionId: ZM, targetConnectionId: RS });

describe('deal.won -> RepairShopr', () => {
  const won = event('deal.won', 'zomentum', ZM, wonDeal());

  it('ensures the client, contacts and products, then one estimate per billing period (quote sync type 1)', async () => {
    const integration = zomentumRepairShopr();
    const commands = await planCommands(dealWonRoute, won, [integration], context);
    expect(commands.map((command) => command.type)).toEqual([
      'cmd.repairshopr.customer.ensure',
      'cmd.repairshopr.contact.ensure',
      'cmd.repairshopr.contact.ensure',
      'cmd.repairshopr.product.ensure',
      'cmd.repairshopr.product.ensure',
      'cmd.repairshopr.product.ensure',
      'cmd.repairshopr.product.ensure',
      'cmd.repairshopr.estimate.create',
      'cmd.repairshopr.estimate.create',
      'cmd.repairshopr.estimate.create',
    ]);
    const estimates = commands.filter((command) => command.type === 'cmd.repairshopr.estimate.create');
    const dealKey = sourceKey('zomentum', ZM, 'document', 'D-1001');
    expect(estimates.map((command) => [command.id, command.data])).toEqual([
      [
        messageId(won.id, integration.id, 'estimate.create', 'one_time'),
        expect.objectContaining({
          sourceKey: `${dealKey}:one_time`,
          billingPeriod: 'one_time',
          customerSourceKey: sourceKey('zomentum', ZM, 'client', 'c-1'),
          lineItems: [expect.objectContaining({ name: 'Laptop', quantity: 2 }), expect.objectContaining({ name: 'Setup' })],
          total: 2550,
        }),
      ],
      [messageId(won.id, integration.id, 'estimate.create', 'monthly'), expect.objectContaining({ billingPeriod: 'monthly', total: 149.7 })],
      [messageId(won.id, integration.id, 'estimate.create', 'yearly'), expect.objectContaining({ billingPeriod: 'yearly', total: 150 })],
    ]);
    for (const command of commands) {
      expect(command).toMatchObject({
        integrationId: integration.id,
        causationId: won.id,
        source: { connector: 'mapping' },
        target: { connector: 'repairshopr', connectionId: RS },
      });
    }
  });

  it('makes a single estimate with every line under quote sync type 2', async () => {
    const commands = await planCommands(dealWonRoute, won, [zomentumRepairShopr({ quoteSyncType1: false })], context);
    const estimates = commands.filter((command) => command.type === 'cmd.repairshopr.estimate.create');
    expect(estimates).toHaveLength(1);
    expect(estimates[0].data).toMatchObject({ sourceKey: sourceKey('zomentum', ZM, 'document', 'D-1001'), total: 2849.7 });
    expect(estimates[0].data).toEqual(expect.not.objectContaining({ billingPeriod: expect.anything() }));
  });

  it('maps product categories and applies the contact date filter', async () => {
    const integration = zomentumRepairShopr({ contactsCreatedAfter: '2024-01-01', categoryMap: { Hardware: 'Parts' } });
    const commands = await planCommands(dealWonRoute, won, [integration], context);
    const contacts = commands.filter((command) => command.type === 'cmd.repairshopr.contact.ensure');
    expect(contacts.map((command) => command.data)).toEqual([expect.objectContaining({ contact: expect.objectContaining({ sourceId: 'ct-2' }) })]);
    const categories = commands.flatMap((command) => (command.type === 'cmd.repairshopr.product.ensure' ? [command.data] : []));
    expect(categories.map((data) => 'targetCategory' in data && data.targetCategory)).toEqual(['Parts', 'Default', 'Default', 'Default']);
  });

  it('skips products of unmapped categories when the user chose so, their estimate lines staying free text', async () => {
    const integration = zomentumRepairShopr({ categoryMap: { Hardware: 'Parts' }, unmappedCategories: 'skip' });
    const commands = await planCommands(dealWonRoute, won, [integration], context);
    const products = commands.flatMap((command) => (command.type === 'cmd.repairshopr.product.ensure' ? [command.data] : []));
    expect(products.map((data) => 'product' in data && [data.product.name, data.targetCategory])).toEqual([['Laptop', 'Parts']]);
    const lines = commands.flatMap((command) => (command.type === 'cmd.repairshopr.estimate.create' && 'lineItems' in command.data ? command.data.lineItems : []));
    expect(lines.map((line) => [line.name, line.productSourceKey !== undefined])).toEqual(
      expect.arrayContaining([['Laptop', true], ['Setup', false], ['Managed backup', false], ['Antivirus', false]]),
    );
    const withDefault = zomentumRepairShopr({ categoryMap: { Hardware: 'Parts' }, defaultCategory: 'Misc' });
    const defaulted = (await planCommands(dealWonRoute, won, [withDefault], context)).flatMap((command) =>
      command.type === 'cmd.repairshopr.product.ensure' && 'targetCategory' in command.data ? [command.data.targetCategory] : [],
    );
    expect(defaulted).toEqual(['Parts', 'Misc', 'Misc', 'Misc']);
  });

  it('leaves products out and estimate lines as free text without product sync', async () => {
    const commands = await planCommands(dealWonRoute, won, [zomentumRepairShopr({ productSync: false, contactSync: false })], context);
    expect(commands.map((command) => command.type)).toEqual([
      'cmd.repairshopr.customer.ensure',
      'cmd.repairshopr.estimate.create',
      'cmd.repairshopr.estimate.create',
      'cmd.repairshopr.estimate.create',
    ]);
    expect(JSON.stringify(commands)).not.toContain('productSourceKey');
  });

  it('pushes nothing when the integration only pulls', async () => {
    expect(await planCommands(dealWonRoute, won, [zomentumRepairShopr({ direction: 'pull_only' })], context)).toEqual([]);
  });

  it('ignores an integration on another Zomentum connection', async () => {
    const other = integrationOf('zomentum-repairshopr', {}, { sourceConnectionId: 'zm-2', targetConnectionId: RS });
    expect(await planCommands(dealWonRoute, won, [other], context)).toEqual([]);
  });
});

describe('RepairShopr records -> Zomentum', () => {
  const customer = event('customer.created', 'repairshopr', RS, { sourceId: '42', businessName: 'Fix-It Kft' });
  const contact = event('contact.created', 'repairshopr', RS, {
    sourceId: '7',
    customerSourceId: '42',
    firstName: 'Ada',
    createdAt: '2024-05-01T00:00:00Z',
  });
  const product = event('product.created', 'repairshopr', RS, {
    sourceId: '9',
    name: 'Screen repair',
    category: 'Labor',
    price: 80,
    billingPeriod: 'one_time',
  });

  it('ensures the customer, contact and product in Zomentum', async () => {
    const integration = zomentumRepairShopr({ updateSync: true });
    const [customerCommand] = await planCommands(customerCreatedRoute, customer, [integration], context);
    expect(customerCommand).toMatchObject({
      type: 'cmd.zomentum.customer.ensure',
      target: { connector: 'zomentum', connectionId: ZM },
      data: { sourceKey: sourceKey('repairshopr', RS, 'customer', '42'), updateExisting: true },
    });
    const [contactCommand] = await planCommands(contactCreatedRoute, contact, [integration], context);
    expect(contactCommand.data).toMatchObject({ customerSourceKey: sourceKey('repairshopr', RS, 'customer', '42') });
    const [productCommand] = await planCommands(productCreatedRoute, product, [integration], context);
    expect(productCommand).toMatchObject({ type: 'cmd.zomentum.product.ensure', data: { targetCategory: 'Service' } });
  });

  it('pulls nothing when the integration only pushes', async () => {
    const pushOnly = zomentumRepairShopr({ direction: 'push_only' });
    expect(await planCommands(customerCreatedRoute, customer, [pushOnly], context)).toEqual([]);
  });

  it('applies the contact date and product category filters', async () => {
    const filtered = zomentumRepairShopr({ contactsCreatedAfter: '2024-06-01', productCategories: ['Hardware'] });
    expect(await planCommands(contactCreatedRoute, contact, [filtered], context)).toEqual([]);
    expect(await planCommands(productCreatedRoute, product, [filtered], context)).toEqual([]);
  });
});

describe('updates, under "also sync updates"', () => {
  const rsCustomer = event('customer.updated', 'repairshopr', RS, { sourceId: '42', businessName: 'Fix-It Kft', phone: '+36 1 555' });
  const rsContact = event('contact.updated', 'repairshopr', RS, {
    sourceId: '7',
    customerSourceId: '42',
    firstName: 'Ada',
    email: 'ada@fixit.example',
    createdAt: '2024-05-01T00:00:00Z',
  });
  const rsProduct = event('product.updated', 'repairshopr', RS, { sourceId: '9', name: 'Screen repair', category: 'Labor', price: 95, billingPeriod: 'one_time' });
  const zmClient = event('customer.updated', 'zomentum', ZM, { sourceId: 'c-1', businessName: 'Alpine Dental', email: 'it@alpine.example' });
  const zmContact = event('contact.updated', 'zomentum', ZM, { sourceId: 'u-1', customerSourceId: 'c-1', firstName: 'Ann', createdAt: '2024-05-01T00:00:00Z' });
  const zmProduct = event('product.updated', 'zomentum', ZM, { sourceId: 'p-1', name: 'Backup', category: 'Service', price: 15, billingPeriod: 'monthly' });

  it('route nowhere while update sync is off (the default), in any direction', async () => {
    const integration = zomentumRepairShopr();
    expect(integration.settings.updateSync).toBe(false);
    for (const [route, updated] of [
      [customerUpdatedRoute, rsCustomer],
      [contactUpdatedRoute, rsContact],
      [productUpdatedRoute, rsProduct],
      [customerUpdatedRoute, zmClient],
      [contactUpdatedRoute, zmContact],
      [productUpdatedRoute, zmProduct],
    ] as const) {
      expect(await planCommands(route, updated, [integration], context)).toEqual([]);
    }
  });

  it('update the Zomentum record of a changed RepairShopr record, under the same source keys as its creation', async () => {
    const integration = zomentumRepairShopr({ updateSync: true });
    const [customer] = await planCommands(customerUpdatedRoute, rsCustomer, [integration], context);
    expect(customer).toMatchObject({
      id: messageId(rsCustomer.id, integration.id, 'customer.ensure', '42'),
      type: 'cmd.zomentum.customer.ensure',
      causationId: rsCustomer.id,
      data: { sourceKey: sourceKey('repairshopr', RS, 'customer', '42'), customer: { phone: '+36 1 555' }, updateExisting: true },
    });
    const [contact] = await planCommands(contactUpdatedRoute, rsContact, [integration], context);
    expect(contact).toMatchObject({
      type: 'cmd.zomentum.contact.ensure',
      data: { sourceKey: sourceKey('repairshopr', RS, 'contact', '7'), customerSourceKey: sourceKey('repairshopr', RS, 'customer', '42'), updateExisting: true },
    });
    const [product] = await planCommands(productUpdatedRoute, rsProduct, [integration], context);
    expect(product).toMatchObject({ type: 'cmd.zomentum.product.ensure', data: { targetCategory: 'Service', product: { price: 95 }, updateExisting: true } });
  });

  it('update the RepairShopr record of a changed Zomentum client, contact or product, keyed as won documents key them', async () => {
    const integration = zomentumRepairShopr({ updateSync: true });
    const [client] = await planCommands(customerUpdatedRoute, zmClient, [integration], context);
    expect(client).toMatchObject({
      type: 'cmd.repairshopr.customer.ensure',
      target: { connector: 'repairshopr', connectionId: RS },
      data: { sourceKey: sourceKey('zomentum', ZM, 'client', 'c-1'), updateExisting: true },
    });
    const [contact] = await planCommands(contactUpdatedRoute, zmContact, [integration], context);
    expect(contact.data).toMatchObject({ sourceKey: sourceKey('zomentum', ZM, 'contact', 'u-1'), customerSourceKey: sourceKey('zomentum', ZM, 'client', 'c-1') });
    const [product] = await planCommands(productUpdatedRoute, zmProduct, [integration], context);
    expect(product).toMatchObject({
      type: 'cmd.repairshopr.product.ensure',
      data: { sourceKey: sourceKey('zomentum', ZM, 'product', 'p-1'), targetCategory: 'Labor', product: { price: 15 }, updateExisting: true },
    });
  });

  it('leave out Zomentum records no won document brought to RepairShopr', async () => {
    const integration = zomentumRepairShopr({ updateSync: true });
    const neverPushed = event('customer.updated', 'zomentum', ZM, { sourceId: 'c-2', businessName: 'Not a customer yet' });
    expect(await planCommands(customerUpdatedRoute, neverPushed, [integration], context)).toEqual([]);
  });

  it('respect the direction and the filters', async () => {
    const pushOnly = zomentumRepairShopr({ updateSync: true, direction: 'push_only' });
    expect(await planCommands(customerUpdatedRoute, rsCustomer, [pushOnly], context)).toEqual([]);
    expect(await planCommands(productUpdatedRoute, zmProduct, [pushOnly], context)).toHaveLength(1);
    const pullOnly = zomentumRepairShopr({ updateSync: true, direction: 'pull_only' });
    expect(await planCommands(productUpdatedRoute, zmProduct, [pullOnly], context)).toEqual([]);
    expect(await planCommands(customerUpdatedRoute, rsCustomer, [pullOnly], context)).toHaveLength(1);

    const filtered = zomentumRepairShopr({ updateSync: true, contactsCreatedAfter: '2024-06-01', productCategories: ['Hardware'] });
    expect(await planCommands(contactUpdatedRoute, rsContact, [filtered], context)).toEqual([]);
    expect(await planCommands(contactUpdatedRoute, zmContact, [filtered], context)).toEqual([]);
    expect(await planCommands(productUpdatedRoute, rsProduct, [filtered], context)).toEqual([]);
    const noProducts = zomentumRepairShopr({ updateSync: true, productSync: false });
    expect(await planCommands(productUpdatedRoute, zmProduct, [noProducts], context)).toEqual([]);
    expect(await planCommands(productUpdatedRoute, rsProduct, [noProducts], context)).toEqual([]);
  });
});

describe('orders', () => {
  const order = {
    sourceId: '9001',
    number: 'WS-9001',
    status: { id: '1', name: 'Pending' },
    customer: { firstName: 'Péter' },
    items: [{ name: 'T-shirt', quantity: 2, unitPrice: 4990 }],
    totals: { currency: 'HUF', subtotal: 9980, total: 9980 },
    coupons: [{ code: 'AUTUMN10', amount: 998 }],
    createdAt: '2024-09-23T18:00:00+02:00',
  };

  it('Shoprenter -> MiniCRM upsert with the mapped status and the coupons', async () => {
    const integration = integrationOf('shoprenter-minicrm', { statusMap: { '1': { id: '3001', name: 'New order' } } }, {
      sourceConnectionId: 'sr-1',
    });
    const [command] = await planCommands(orderCreatedRoute, event('order.created', 'shoprenter', 'sr-1', order), [integration], context);
    expect(command).toMatchObject({
      type: 'cmd.minicrm.order.upsert',
      data: {
        sourceKey: sourceKey('shoprenter', 'sr-1', 'order', '9001'),
        targetStatus: { id: '3001', name: 'New order' },
        order: { coupons: [{ code: 'AUTUMN10' }] },
      },
    });
  });

  it('ZZap -> RetailCRM upsert into the store, with product matching, status only under flag 1', async () => {
    const statusMap = [{ retailcrm: { id: 'new', name: 'New' }, zzap: { id: '1', name: 'Pending' } }];
    const created = event('order.created', 'zzap', 'zz-1', order);
    const flagged = integrationOf('zzap-retailcrm', { storeCode: 'parts', statusMap, productMatching: 'external_id' }, { sourceConnectionId: 'zz-1' });
    const [command] = await planCommands(orderCreatedRoute, created, [flagged], context);
    expect(command).toMatchObject({
      type: 'cmd.retailcrm.order.upsert',
      data: { destination: 'parts', productMatching: 'external_id', targetStatus: { id: 'new' } },
    });
    const unflagged = integrationOf('zzap-retailcrm', { storeCode: 'parts', statusMap, statusZzapToCrm: false }, { sourceConnectionId: 'zz-1' });
    const [withoutStatus] = await planCommands(orderCreatedRoute, created, [unflagged], context);
    expect(withoutStatus.data).toEqual(expect.not.objectContaining({ targetStatus: expect.anything() }));
  });
});

describe('order status changes', () => {
  const statusMap = [
    { retailcrm: { id: 'new', name: 'New' }, zzap: { id: '1', name: 'Pending' } },
    { retailcrm: { id: 'assembling', name: 'Assembling' }, zzap: { id: '4', name: 'In work' } },
  ];
  const zzapRetailCrm = (settings: object) =>
    integrationOf('zzap-retailcrm', { storeCode: 'parts', statusMap, ...settings }, { sourceConnectionId: 'zz-1', targetConnectionId: 'rc-1' });
  const change = (orderSourceId: string, to: string, kind: OrderStatusChange['changedBy']['kind']): OrderStatusChange => ({
    orderSourceId,
    to: { id: to, name: to },
    changedAt: '2024-09-23T18:00:00+03:00',
    changedBy: { kind },
  });

  it('flag 1 forwards a ZZap change to RetailCRM as the mapped status', async () => {
    const zzapChange = event('order.status.changed', 'zzap', 'zz-1', change('312', '4', 'user'));
    const [command] = await planCommands(orderStatusChangedRoute, zzapChange, [zzapRetailCrm({})], context);
    expect(command).toMatchObject({
      type: 'cmd.retailcrm.order.status.set',
      data: { sourceKey: sourceKey('zzap', 'zz-1', 'order', '312'), status: { id: 'assembling' }, changeId: zzapChange.id },
    });
  });

  it('flag 2 forwards a RetailCRM change on an order that came from ZZap, with the ZZap order id', async () => {
    const crmChange = event('order.status.changed', 'retailcrm', 'rc-1', change('77', 'assembling', 'user'));
    const [command] = await planCommands(orderStatusChangedRoute, crmChange, [zzapRetailCrm({ statusCrmToZzap: true })], context);
    expect(command).toMatchObject({ type: 'cmd.zzap.order.status.set', data: { targetOrderId: '312', status: { id: '4' } } });
  });

  it('does not forward RetailCRM changes of orders that did not come from ZZap, nor make them wait', async () => {
    const crmChange = event('order.status.changed', 'retailcrm', 'rc-1', change('78', 'assembling', 'user'));
    expect(await planCommands(orderStatusChangedRoute, crmChange, [zzapRetailCrm({ statusCrmToZzap: true })], context)).toEqual([]);
    // An externalId naming another system is not a ZZap origin.
    const fromShop = event('order.status.changed', 'retailcrm', 'rc-1', {
      ...change('78', 'assembling', 'user'),
      orderOrigin: { connector: 'shoprenter', sourceId: '9001' },
    });
    expect(await planCommands(orderStatusChangedRoute, fromShop, [zzapRetailCrm({ statusCrmToZzap: true })], context)).toEqual([]);
  });

  describe('of an order created from ZZap whose link is not recorded yet', () => {
    const unlinked = (orderSourceId: string, to: string, kind: OrderStatusChange['changedBy']['kind'] = 'user') =>
      event('order.status.changed', 'retailcrm', 'rc-1', {
        ...change(orderSourceId, to, kind),
        orderNumber: `${orderSourceId}A`,
        orderOrigin: { connector: 'zzap', sourceId: '1042' },
      });

    it('waits for the RetailCRM order to be linked, naming it, instead of dropping the change', async () => {
      const integration = zzapRetailCrm({ statusCrmToZzap: true });
      expect(await planEvent(orderStatusChangedRoute, unlinked('80', 'assembling'), [integration], context)).toEqual({
        commands: [],
        waiting: [
          {
            integration,
            reason:
              'the status change of RetailCRM order 80A waits until Junction has recorded that it created that order from ZZap order 1042',
            awaited: { connector: 'retailcrm', connectionId: 'rc-1', externalId: '80' },
          },
        ],
      });
    });

    it('is forwarded once linked, and never waits when the flags or the map would drop it anyway', async () => {
      const integration = zzapRetailCrm({ statusCrmToZzap: true });
      const [command] = await planCommands(orderStatusChangedRoute, unlinked('77', 'assembling'), [integration], context);
      expect(command).toMatchObject({ type: 'cmd.zzap.order.status.set', data: { targetOrderId: '312' } });
      for (const [change, settings] of [
        [unlinked('80', 'assembling'), {}],
        [unlinked('80', 'assembling', 'junction'), { statusCrmToZzap: true }],
        [unlinked('80', 'assembling', 'api_client'), { statusCrmToZzap: true }],
        [unlinked('80', 'complete'), { statusCrmToZzap: true }],
      ] as const) {
        expect(await planCommands(orderStatusChangedRoute, change, [zzapRetailCrm(settings)], context)).toEqual([]);
      }
    });

    it("does not wait for an order linked to another ZZap account's order: it is not this integration's", async () => {
      const integration = zzapRetailCrm({ statusCrmToZzap: true });
      expect(await planCommands(orderStatusChangedRoute, unlinked('79', 'assembling'), [integration], context)).toEqual([]);
    });
  });

  it('forwards changes made by other API clients only under flag 3', async () => {
    const apiChange = event('order.status.changed', 'retailcrm', 'rc-1', change('77', 'assembling', 'api_client'));
    expect(await planCommands(orderStatusChangedRoute, apiChange, [zzapRetailCrm({ statusCrmToZzap: true })], context)).toEqual([]);
    const withFlag3 = zzapRetailCrm({ statusCrmToZzap: true, processApiChanges: true });
    expect(await planCommands(orderStatusChangedRoute, apiChange, [withFlag3], context)).toHaveLength(1);
  });

  it("never forwards Junction's own changes or unmapped statuses", async () => {
    const all = [zzapRetailCrm({ statusCrmToZzap: true, processApiChanges: true })];
    const echoes = [
      event('order.status.changed', 'zzap', 'zz-1', change('312', '4', 'junction')),
      event('order.status.changed', 'retailcrm', 'rc-1', change('77', 'assembling', 'junction')),
      event('order.status.changed', 'zzap', 'zz-1', change('312', '99', 'user')),
    ];
    for (const echo of echoes) expect(await planCommands(orderStatusChangedRoute, echo, all, context)).toEqual([]);
  });

  it('Shoprenter status changes set the mapped MiniCRM status', async () => {
    const integration: Integration = integrationOf('shoprenter-minicrm', { statusMap: { '2': { id: '3002', name: 'Shipped' } } }, {
      sourceConnectionId: 'sr-1',
    });
    const shopChange = event('order.status.changed', 'shoprenter', 'sr-1', change('9001', '2', 'user'));
    const [command] = await planCommands(orderStatusChangedRoute, shopChange, [integration], context);
    expect(command).toMatchObject({ type: 'cmd.minicrm.order.status.set', data: { status: { id: '3002', name: 'Shipped' } } });
  });

  it('makes Shoprenter orders and changes in an unmapped status wait, naming the status, instead of dropping them', async () => {
    const integration = integrationOf('shoprenter-minicrm', { statusMap: { '2': { id: '3002', name: 'Shipped' } } }, {
      sourceConnectionId: 'sr-1',
    });
    const shopChange = event('order.status.changed', 'shoprenter', 'sr-1', change('9001', '5', 'user'));
    expect(await planEvent(orderStatusChangedRoute, shopChange, [integration], context)).toEqual({
      commands: [],
      waiting: [{ integration, reason: expect.stringMatching(/order 9001 waits: Shoprenter status '5' \(5\) has no MiniCRM status/) }],
    });
    const created = event('order.created', 'shoprenter', 'sr-1', {
      sourceId: '9002',
      number: 'WS-9002',
      status: { id: '5', name: 'Visszaküldve' },
      customer: {},
      items: [],
      totals: { currency: 'HUF', subtotal: 0, total: 0 },
      coupons: [],
      createdAt: '2024-09-23T18:00:00+02:00',
    });
    const plan = await planEvent(orderCreatedRoute, created, [integration], context);
    expect(plan.commands).toEqual([]);
    expect(plan.waiting[0].reason).toContain("order WS-9002 waits: Shoprenter status 'Visszaküldve' (5)");
  });
});
