import { z } from 'zod';
import { COMMANDS, CommandAction } from './commands';
import { Contact, Customer, Deal, Order, OrderStatusChange, Product } from './entities';
import { messageId, sourceKey } from './envelope';
import { EVENTS, EventSubject } from './events';

// One valid envelope per contract: shown in the AsyncAPI document and checked by the tests against both the
// zod schemas and the generated JSON Schemas.

const ZOMENTUM = { connector: 'zomentum', connectionId: 'zm-acme' } as const;
const REPAIRSHOPR = { connector: 'repairshopr', connectionId: 'rs-acme' } as const;
const SHOPRENTER = { connector: 'shoprenter', connectionId: 'sr-webshop' } as const;
const RETAILCRM = { connector: 'retailcrm', connectionId: 'rc-parts' } as const;
const INTEGRATION_ID = 'int-zm-rs';
// Junction's own services name what they acted for in connectionId.
const MAPPING = { connector: 'mapping', connectionId: INTEGRATION_ID } as const;

const customer: Customer = {
  sourceId: '4711',
  businessName: 'Acme Repairs Ltd',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@acme.example',
  phone: '+36 1 234 5678',
  address: { line1: 'Fő utca 1.', city: 'Budapest', postalCode: '1011', country: 'Hungary', countryCode: 'HU' },
  createdAt: '2024-09-20T08:30:00Z',
};

const contact: Contact = {
  sourceId: '815',
  customerSourceId: '4711',
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@acme.example',
  title: 'IT manager',
  createdAt: '2024-09-20T08:35:00Z',
};

const product: Product = {
  sourceId: 'p-77',
  name: 'Managed backup',
  sku: 'MB-100',
  category: 'Service',
  price: 49.9,
  cost: 20,
  billingPeriod: 'monthly',
  taxable: true,
  createdAt: '2024-09-01T10:00:00Z',
};

const deal: Deal = {
  sourceId: 'D-1001',
  number: 'Q-2024-118',
  title: 'Backup rollout',
  currency: 'EUR',
  customer,
  contacts: [contact],
  lineItems: [
    { sourceId: 'li-1', product, quantity: 3, unitPrice: 49.9, billingPeriod: 'monthly' },
    {
      sourceId: 'li-2',
      product: { ...product, sourceId: 'p-12', name: 'Installation', category: 'Labor', price: 300, billingPeriod: 'one_time' },
      quantity: 1,
      unitPrice: 300,
      discount: 30,
      billingPeriod: 'one_time',
    },
  ],
  total: 419.7,
  wonAt: '2024-09-23T15:00:00+02:00',
};

const order: Order = {
  sourceId: '9001',
  number: 'WS-9001',
  status: { id: '1', name: 'Függőben' },
  customer: { sourceId: '55', firstName: 'Péter', lastName: 'Kovács', email: 'peter@example.hu', phone: '+36 30 123 4567' },
  billingAddress: { line1: 'Kossuth tér 2.', city: 'Szeged', postalCode: '6720', countryCode: 'HU' },
  items: [{ sourceId: '1', productSourceId: '321', sku: 'TSHIRT-M', name: 'T-shirt (M)', quantity: 2, unitPrice: 4990, taxRate: 27 }],
  totals: { currency: 'HUF', subtotal: 9980, shipping: 1490, discount: 998, total: 10472 },
  coupons: [{ code: 'AUTUMN10', description: '10% off', amount: 998 }],
  paymentMethod: 'Card',
  shippingMethod: 'GLS',
  createdAt: '2024-09-23T18:00:00+02:00',
};

const statusChange: OrderStatusChange = {
  orderSourceId: '312',
  orderNumber: '312A',
  changeSourceId: 'history-88231',
  orderOrigin: { connector: 'zzap', sourceId: '1042' },
  from: { id: 'new', name: 'Новый' },
  to: { id: 'assembling', name: 'Комплектуется' },
  changedAt: '2024-09-23T18:00:00+03:00',
  changedBy: { kind: 'user', name: 'Manager Ivanova' },
};

const dealKey = sourceKey('zomentum', ZOMENTUM.connectionId, 'document', deal.sourceId);
const dealWonId = messageId(dealKey, 'won');
const customerKey = sourceKey('zomentum', ZOMENTUM.connectionId, 'client', customer.sourceId);
const orderKey = sourceKey('shoprenter', SHOPRENTER.connectionId, 'order', order.sourceId);
const commandEnvelope = {
  source: MAPPING,
  target: REPAIRSHOPR,
  integrationId: INTEGRATION_ID,
  causationId: dealWonId,
  occurredAt: deal.wonAt,
} as const;

type ExampleEvents = { [S in EventSubject]: z.input<(typeof EVENTS)[S]['envelope']> };
type ExampleCommands = { [A in CommandAction]: z.input<(typeof COMMANDS)[A]['envelope']> };

export const EVENT_EXAMPLES: ExampleEvents = {
  'customer.created': {
    id: messageId(REPAIRSHOPR.connector, REPAIRSHOPR.connectionId, 'customer', customer.sourceId, 'created'),
    type: 'customer.created',
    version: 1,
    source: REPAIRSHOPR,
    occurredAt: '2024-09-20T08:30:00Z',
    data: customer,
  },
  'contact.created': {
    id: messageId(REPAIRSHOPR.connector, REPAIRSHOPR.connectionId, 'contact', contact.sourceId, 'created'),
    type: 'contact.created',
    version: 1,
    source: REPAIRSHOPR,
    occurredAt: '2024-09-20T08:35:00Z',
    data: contact,
  },
  'product.created': {
    id: messageId(REPAIRSHOPR.connector, REPAIRSHOPR.connectionId, 'product', product.sourceId, 'created'),
    type: 'product.created',
    version: 1,
    source: REPAIRSHOPR,
    occurredAt: '2024-09-01T10:00:00Z',
    data: product,
  },
  'customer.updated': {
    id: messageId(REPAIRSHOPR.connector, REPAIRSHOPR.connectionId, 'customers', customer.sourceId, '1-5f0c2a9e41b7d3c8'),
    type: 'customer.updated',
    version: 1,
    source: REPAIRSHOPR,
    occurredAt: '2024-10-02T09:15:00Z',
    data: { ...customer, phone: '+36 1 555 0101', updatedAt: '2024-10-02T09:15:00Z' },
  },
  'contact.updated': {
    id: messageId(REPAIRSHOPR.connector, REPAIRSHOPR.connectionId, 'contacts', contact.sourceId, '1-9a41c07be25d6f13'),
    type: 'contact.updated',
    version: 1,
    source: REPAIRSHOPR,
    occurredAt: '2024-10-02T09:20:00Z',
    data: { ...contact, email: 'grace.hopper@acme.example', updatedAt: '2024-10-02T09:20:00Z' },
  },
  'product.updated': {
    id: messageId(ZOMENTUM.connector, ZOMENTUM.connectionId, 'products', product.sourceId, '2-c3e8f1a04d92b675'),
    type: 'product.updated',
    version: 1,
    source: ZOMENTUM,
    occurredAt: '2024-10-01T08:00:00Z',
    data: { ...product, price: 54.9, updatedAt: '2024-10-01T08:00:00Z' },
  },
  'deal.won': {
    id: dealWonId,
    type: 'deal.won',
    version: 1,
    source: ZOMENTUM,
    occurredAt: deal.wonAt,
    data: deal,
  },
  'order.created': {
    id: messageId(orderKey, 'created'),
    type: 'order.created',
    version: 1,
    source: SHOPRENTER,
    occurredAt: order.createdAt,
    data: order,
  },
  'order.updated': {
    id: messageId(orderKey, 'updated', '2024-09-24T09:00:00Z'),
    type: 'order.updated',
    version: 1,
    source: SHOPRENTER,
    occurredAt: '2024-09-24T09:00:00Z',
    data: { ...order, shippingMethod: 'Foxpost', updatedAt: '2024-09-24T09:00:00Z' },
  },
  'order.status.changed': {
    id: messageId(RETAILCRM.connector, RETAILCRM.connectionId, 'order-history', 'history-88231'),
    type: 'order.status.changed',
    version: 1,
    source: RETAILCRM,
    occurredAt: statusChange.changedAt,
    data: statusChange,
  },
  'record.written': {
    id: messageId('record', messageId(dealWonId, 'estimate', 'monthly')),
    type: 'record.written',
    version: 1,
    source: REPAIRSHOPR,
    integrationId: INTEGRATION_ID,
    causationId: messageId(dealWonId, 'estimate', 'monthly'),
    occurredAt: '2024-09-23T13:00:05Z',
    data: {
      commandId: messageId(dealWonId, 'estimate', 'monthly'),
      connector: 'repairshopr',
      connectionId: REPAIRSHOPR.connectionId,
      entityType: 'estimate',
      sourceKey: messageId(dealKey, 'monthly'),
      externalId: '556677',
      outcome: 'created',
    },
  },
  'record.failed': {
    id: messageId('record', messageId(customerKey, 'ensure')),
    type: 'record.failed',
    version: 1,
    source: REPAIRSHOPR,
    integrationId: INTEGRATION_ID,
    causationId: messageId(customerKey, 'ensure'),
    occurredAt: '2024-09-23T13:00:04Z',
    data: {
      commandId: messageId(customerKey, 'ensure'),
      connector: 'repairshopr',
      connectionId: REPAIRSHOPR.connectionId,
      entityType: 'customer',
      sourceKey: customerKey,
      error: { code: 'vendor_auth', message: 'The API token lacks the Customers permission', retryable: false },
    },
  },
  'sync.requested': {
    id: messageId('schedule', 'sched-zm-documents', '2024-09-23T13:00:00Z'),
    type: 'sync.requested',
    version: 1,
    source: { connector: 'scheduler', connectionId: 'sched-zm-documents' },
    integrationId: INTEGRATION_ID,
    occurredAt: '2024-09-23T13:00:00Z',
    data: {
      requestId: 'sched-zm-documents:2024-09-23T13:00:00Z',
      connector: 'zomentum',
      connectionId: ZOMENTUM.connectionId,
      stream: 'documents',
      integrationId: INTEGRATION_ID,
      scheduleId: 'sched-zm-documents',
      reason: 'schedule',
      requestedAt: '2024-09-23T13:00:00Z',
    },
  },
  'sync.run.updated': {
    id: messageId('run', 'run-42', 3),
    type: 'sync.run.updated',
    version: 1,
    source: ZOMENTUM,
    integrationId: INTEGRATION_ID,
    occurredAt: '2024-09-23T13:00:09Z',
    data: {
      runId: 'run-42',
      requestId: 'sched-zm-documents:2024-09-23T13:00:00Z',
      connector: 'zomentum',
      connectionId: ZOMENTUM.connectionId,
      stream: 'documents',
      integrationId: INTEGRATION_ID,
      state: 'succeeded',
      reason: 'schedule',
      startedAt: '2024-09-23T13:00:01Z',
      finishedAt: '2024-09-23T13:00:09Z',
      progress: { done: 12, total: 12 },
      counts: { created: 1, updated: 0, skipped: 11, failed: 0 },
      revision: 3,
    },
  },
  'config.schedule.updated': {
    id: messageId('integration', INTEGRATION_ID, 'schedules', 7),
    type: 'config.schedule.updated',
    version: 1,
    source: MAPPING,
    integrationId: INTEGRATION_ID,
    occurredAt: '2024-09-23T12:00:00Z',
    data: {
      integrationId: INTEGRATION_ID,
      schedules: [
        {
          id: 'sched-zm-documents',
          connector: 'zomentum',
          connectionId: ZOMENTUM.connectionId,
          stream: 'documents',
          kind: 'interval',
          everyMinutes: 5,
        },
        {
          id: 'sched-rs-customers',
          connector: 'repairshopr',
          connectionId: REPAIRSHOPR.connectionId,
          stream: 'customers',
          kind: 'cron',
          cron: '0 4 * * *',
          timeZone: 'Europe/Budapest',
        },
      ],
    },
  },
};

export const COMMAND_EXAMPLES: ExampleCommands = {
  'customer.ensure': {
    ...commandEnvelope,
    id: messageId(customerKey, 'ensure'),
    type: 'cmd.repairshopr.customer.ensure',
    version: 1,
    data: { sourceKey: customerKey, customer },
  },
  'contact.ensure': {
    ...commandEnvelope,
    id: messageId(sourceKey('zomentum', ZOMENTUM.connectionId, 'contact', contact.sourceId), 'ensure'),
    type: 'cmd.repairshopr.contact.ensure',
    version: 1,
    data: {
      sourceKey: sourceKey('zomentum', ZOMENTUM.connectionId, 'contact', contact.sourceId),
      customerSourceKey: customerKey,
      contact,
    },
  },
  'product.ensure': {
    ...commandEnvelope,
    id: messageId(sourceKey('zomentum', ZOMENTUM.connectionId, 'product', product.sourceId), 'ensure'),
    type: 'cmd.repairshopr.product.ensure',
    version: 1,
    data: {
      sourceKey: sourceKey('zomentum', ZOMENTUM.connectionId, 'product', product.sourceId),
      product,
      targetCategory: 'Default',
    },
  },
  'estimate.create': {
    ...commandEnvelope,
    id: messageId(dealWonId, 'estimate', 'monthly'),
    type: 'cmd.repairshopr.estimate.create',
    version: 1,
    data: {
      sourceKey: messageId(dealKey, 'monthly'),
      customerSourceKey: customerKey,
      contactSourceKeys: [sourceKey('zomentum', ZOMENTUM.connectionId, 'contact', contact.sourceId)],
      billingPeriod: 'monthly',
      deal: { sourceId: deal.sourceId, number: deal.number, title: deal.title, currency: deal.currency, wonAt: deal.wonAt },
      lineItems: [
        {
          productSourceKey: sourceKey('zomentum', ZOMENTUM.connectionId, 'product', product.sourceId),
          name: product.name,
          quantity: 3,
          unitPrice: 49.9,
          billingPeriod: 'monthly',
          taxable: true,
        },
      ],
      total: 149.7,
    },
  },
  'order.upsert': {
    id: messageId(orderKey, 'created', 'upsert'),
    type: 'cmd.minicrm.order.upsert',
    version: 1,
    source: { connector: 'mapping', connectionId: 'int-sr-mc' },
    target: { connector: 'minicrm', connectionId: 'mc-office' },
    integrationId: 'int-sr-mc',
    causationId: messageId(orderKey, 'created'),
    occurredAt: order.createdAt,
    data: { sourceKey: orderKey, order, targetStatus: { id: '3001', name: 'Új rendelés' }, destination: '21' },
  },
  'order.status.set': {
    id: messageId(RETAILCRM.connector, RETAILCRM.connectionId, 'order-history', 'history-88231', 'status-set'),
    type: 'cmd.zzap.order.status.set',
    version: 1,
    source: { connector: 'mapping', connectionId: 'int-zz-rc' },
    target: { connector: 'zzap', connectionId: 'zz-parts' },
    integrationId: 'int-zz-rc',
    causationId: messageId(RETAILCRM.connector, RETAILCRM.connectionId, 'order-history', 'history-88231'),
    occurredAt: statusChange.changedAt,
    data: {
      sourceKey: sourceKey('retailcrm', RETAILCRM.connectionId, 'order', statusChange.orderSourceId),
      targetOrderId: '77123',
      orderNumber: statusChange.orderNumber,
      status: { id: '4', name: 'Комплектуется' },
      changeId: messageId(RETAILCRM.connector, RETAILCRM.connectionId, 'order-history', 'history-88231'),
    },
  },
};
