import { z } from 'zod';
import { ConnectorName } from './connectors';
import { defineCommand } from './define';
import { BillingPeriod, Contact, CurrencyCode, Customer, Money, Order, OrderStatus, Product, Timestamp } from './entities';
import { MessageId, SourceKey } from './envelope';
import { documented, withDescription } from './schema-docs';

// Commands ask one target connector to write to its vendor. Each carries the `sourceKey` of the record it
// came from: the target connector's ID map is keyed by it, which makes a repeated command a no-op.

const text = () => z.string().min(1);

const updateExisting = () =>
  documented(z.boolean().default(false), {
    description: 'Update the record when it already exists in the target; by default an existing record is left unchanged.',
  });

export const CustomerEnsure = documented(
  z.object({ sourceKey: SourceKey, customer: Customer, updateExisting: updateExisting() }),
  { id: 'CustomerEnsure', description: 'Create the customer in the target unless it is already there.' },
);
export type CustomerEnsure = z.infer<typeof CustomerEnsure>;

export const ContactEnsure = documented(
  z.object({
    sourceKey: SourceKey,
    customerSourceKey: withDescription(SourceKey, "sourceKey of the contact's customer."),
    contact: Contact,
    updateExisting: updateExisting(),
  }),
  { id: 'ContactEnsure', description: 'Create the contact under its (already ensured) customer unless it is already there.' },
);
export type ContactEnsure = z.infer<typeof ContactEnsure>;

export const ProductEnsure = documented(
  z.object({
    sourceKey: SourceKey,
    product: Product,
    targetCategory: documented(text(), {
      description: "The target system's category for the product, after the integration's category map.",
    }),
    updateExisting: updateExisting(),
  }),
  { id: 'ProductEnsure', description: 'Create the product in the target unless it is already there.' },
);
export type ProductEnsure = z.infer<typeof ProductEnsure>;

export const EstimateLineItem = documented(
  z.object({
    productSourceKey: documented(SourceKey.optional(), {
      description: "sourceKey of the line's product when it was ensured in the target; without it the line is free text.",
    }),
    name: text(),
    description: text().optional(),
    quantity: z.number().positive(),
    unitPrice: Money,
    unitCost: Money.optional(),
    discount: documented(Money.optional(), { description: 'Absolute discount on the whole line.' }),
    billingPeriod: BillingPeriod,
    taxable: z.boolean().optional(),
  }),
  { id: 'EstimateLineItem', description: 'One line of an estimate.' },
);
export type EstimateLineItem = z.infer<typeof EstimateLineItem>;

export const EstimateCreate = documented(
  z.object({
    sourceKey: withDescription(
      SourceKey,
      "The deal's key, plus ':<billingPeriod>' when the deal is split into one estimate per billing period.",
    ),
    customerSourceKey: withDescription(SourceKey, 'sourceKey of the (already ensured) customer.'),
    contactSourceKeys: documented(z.array(SourceKey), {
      description: "sourceKeys of the deal's (already ensured) contacts.",
    }),
    billingPeriod: documented(BillingPeriod.optional(), {
      description: 'Set when the deal was split by billing period; absent when one estimate carries the whole deal.',
    }),
    deal: z.object({
      sourceId: text(),
      number: text().optional(),
      title: text(),
      description: text().optional(),
      currency: CurrencyCode,
      wonAt: Timestamp,
    }),
    lineItems: z.array(EstimateLineItem).min(1),
    total: documented(Money.optional(), { description: 'Total of these line items.' }),
  }),
  { id: 'EstimateCreate', description: 'Create an estimate from (part of) a won deal; an existing estimate is never changed.' },
);
export type EstimateCreate = z.infer<typeof EstimateCreate>;

export const OrderUpsert = documented(
  z.object({
    sourceKey: SourceKey,
    order: Order,
    targetStatus: documented(OrderStatus.optional(), {
      description: "The target system's status for order.status after the integration's status map; absent when unmapped.",
    }),
    destination: documented(text().optional(), {
      description: 'Where in the target the order goes, e.g. the RetailCRM store code or the MiniCRM product (category) id.',
    }),
    productMatching: documented(z.enum(['article', 'external_id', 'none']).default('none'), {
      description: 'How order items are matched to target products: by article, by external id, or not at all.',
    }),
  }),
  { id: 'OrderUpsert', description: 'Create the order in the target, or update the one created for this sourceKey before.' },
);
export type OrderUpsert = z.infer<typeof OrderUpsert>;

export const OrderStatusSet = documented(
  z.object({
    sourceKey: withDescription(SourceKey, 'sourceKey of the order whose status changed.'),
    targetOrderId: documented(text().optional(), {
      description:
        "The order's id in the target system when the mapping service knows it (the order came from there); " +
        'otherwise the target connector resolves sourceKey through its ID map.',
    }),
    orderNumber: text().optional(),
    status: withDescription(OrderStatus, "The target system's status to set."),
    changeId: withDescription(MessageId, 'Id of the status change being forwarded; a change is applied at most once.'),
  }),
  { id: 'OrderStatusSet', description: "Set an order's status in the target system." },
);
export type OrderStatusSet = z.infer<typeof OrderStatusSet>;

const outcomeFields = {
  commandId: withDescription(MessageId, 'Id of the command envelope this outcome is for.'),
  connector: ConnectorName,
  connectionId: text(),
  entityType: documented(text(), { description: 'What was written: customer, contact, product, estimate, order, ...' }),
  sourceKey: SourceKey,
};

export const RecordWritten = documented(
  z.object({
    ...outcomeFields,
    externalId: documented(text(), { description: "The record's id in the target system." }),
    outcome: documented(z.enum(['created', 'updated', 'unchanged', 'found_existing']), {
      description: 'found_existing: a natural-key lookup found the record that an interrupted earlier write created.',
    }),
  }),
  { id: 'RecordWritten', description: 'A connector executed a command.' },
);
export type RecordWritten = z.infer<typeof RecordWritten>;

export const RecordFailed = documented(
  z.object({
    ...outcomeFields,
    error: z.object({
      code: text(),
      message: documented(text(), { description: 'Human-readable and free of secrets.' }),
      retryable: z.boolean(),
    }),
  }),
  { id: 'RecordFailed', description: 'A connector gave up on a command.' },
);
export type RecordFailed = z.infer<typeof RecordFailed>;

const commandList = [
  defineCommand({
    action: 'customer.ensure',
    version: 1,
    summary: 'Create a customer (a client in Zomentum) in the target system unless it exists.',
    data: CustomerEnsure,
    connectors: ['zomentum', 'repairshopr'],
  }),
  defineCommand({
    action: 'contact.ensure',
    version: 1,
    summary: 'Create a contact under its customer in the target system unless it exists.',
    data: ContactEnsure,
    connectors: ['zomentum', 'repairshopr'],
  }),
  defineCommand({
    action: 'product.ensure',
    version: 1,
    summary: 'Create a product with pricing in the target system unless it exists.',
    data: ProductEnsure,
    connectors: ['zomentum', 'repairshopr'],
  }),
  defineCommand({
    action: 'estimate.create',
    version: 1,
    summary: 'Create an estimate from a won deal (one per billing period when the integration splits them).',
    data: EstimateCreate,
    connectors: ['repairshopr'],
  }),
  defineCommand({
    action: 'order.upsert',
    version: 1,
    summary: 'Create or update an order, with its customer, items, coupons and mapped status.',
    data: OrderUpsert,
    connectors: ['minicrm', 'retailcrm'],
  }),
  defineCommand({
    action: 'order.status.set',
    version: 1,
    summary: "Set an order's status to a mapped status.",
    data: OrderStatusSet,
    connectors: ['minicrm', 'retailcrm', 'zzap'],
  }),
] as const;

type CommandList = typeof commandList;

/** Every command contract, keyed by action. */
export const COMMANDS = Object.fromEntries(commandList.map((contract) => [contract.action, contract])) as {
  [C in CommandList[number] as C['action']]: C;
};

export type CommandAction = keyof typeof COMMANDS;
