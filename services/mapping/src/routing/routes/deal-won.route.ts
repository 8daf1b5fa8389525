import { messageId, sourceKey, type Contact, type Customer, type DealLineItem, type EstimateLineItem, type Product } from '@junction/contracts';
import type { SettingsOf } from '../../integrations/integration-kinds';
import { repairShoprCategoryFor } from '../../rules/category-map';
import { allowsPush } from '../../rules/direction';
import { splitQuoteIntoEstimates } from '../../rules/quote-split';
import { contactPassesFilter } from '../../rules/record-filters';
import { integrationRule, type EventRoute, type IntegrationRule, type PlanContext } from '../event-route';
import type { PlannedCommand } from '../planned-command';

type Settings = SettingsOf<'zomentum-repairshopr'>;

function lineTotal(item: DealLineItem): number {
  return item.quantity * item.unitPrice - (item.discount ?? 0);
}

// Amounts are in major units; summing floats leaves dust like 149.70000000000002.
function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** The key a Zomentum record has in RepairShopr's ID map. */
function zomentumKey(connectionId: string, entityType: 'client' | 'contact' | 'product' | 'document', id: string): string {
  return sourceKey('zomentum', connectionId, entityType, id);
}

function customerPush(connectionId: string, customer: Customer, updateExisting: boolean): PlannedCommand {
  return {
    connector: 'repairshopr',
    action: 'customer.ensure',
    part: customer.sourceId,
    data: { sourceKey: zomentumKey(connectionId, 'client', customer.sourceId), customer, updateExisting },
  };
}

/** A contact under the client with id `clientId`. */
function contactPush(connectionId: string, contact: Contact, clientId: string, updateExisting: boolean): PlannedCommand {
  return {
    connector: 'repairshopr',
    action: 'contact.ensure',
    part: contact.sourceId,
    data: {
      sourceKey: zomentumKey(connectionId, 'contact', contact.sourceId),
      customerSourceKey: zomentumKey(connectionId, 'client', clientId),
      contact,
      updateExisting,
    },
  };
}

/** The product's ensure, or undefined when product sync is off or its category is unmapped and skipped. */
function productPush(connectionId: string, product: Product, settings: Settings, updateExisting: boolean): PlannedCommand | undefined {
  const targetCategory = settings.productSync ? repairShoprCategoryFor(settings, product.category) : undefined;
  if (targetCategory === undefined) return undefined;
  return {
    connector: 'repairshopr',
    action: 'product.ensure',
    part: product.sourceId,
    data: { sourceKey: zomentumKey(connectionId, 'product', product.sourceId), product, targetCategory, updateExisting },
  };
}

/**
 * Zomentum -> RepairShopr push: a won document brings its client, the contacts the filters allow, its products
 * (when product sync is on) and its line items as estimates, one per billing period under quote sync type 1.
 */
export const dealWonRoute: EventRoute<'deal.won'> = {
  subject: 'deal.won',
  rules: [
    integrationRule<'deal.won', 'zomentum-repairshopr'>({
      kind: 'zomentum-repairshopr',
      from: 'source',
      plan(event, integration) {
        const settings = integration.settings;
        if (!allowsPush(settings.direction)) return [];
        const deal = event.data;
        const connectionId = event.source.connectionId;
        const updateExisting = settings.updateSync;
        const customerSourceKey = zomentumKey(connectionId, 'client', deal.customer.sourceId);
        const commands: PlannedCommand[] = [customerPush(connectionId, deal.customer, updateExisting)];

        const contacts = deal.contacts.filter((contact) => contactPassesFilter(settings, contact.createdAt));
        for (const contact of contacts) {
          commands.push(contactPush(connectionId, contact, deal.customer.sourceId, updateExisting));
        }

        const products = new Map(deal.lineItems.map((item) => [item.product.sourceId, item.product]));
        const pushedProducts = new Set<string>();
        for (const product of products.values()) {
          const command = productPush(connectionId, product, settings, updateExisting);
          if (!command) continue;
          commands.push(command);
          pushedProducts.add(product.sourceId);
        }

        const dealSourceKey = zomentumKey(connectionId, 'document', deal.sourceId);
        const toEstimateLine = (item: DealLineItem): EstimateLineItem => ({
          // A product not synced (product sync off, its category skipped) leaves its line free text.
          productSourceKey: pushedProducts.has(item.product.sourceId)
            ? zomentumKey(connectionId, 'product', item.product.sourceId)
            : undefined,
          name: item.product.name,
          description: item.description ?? item.product.description,
          quantity: item.quantity,
          unitPrice: item.unitPrice,
          unitCost: item.unitCost,
          discount: item.discount,
          billingPeriod: item.billingPeriod,
          taxable: item.product.taxable,
        });
        for (const estimate of splitQuoteIntoEstimates(deal.lineItems, settings.quoteSyncType1)) {
          commands.push({
            connector: 'repairshopr',
            action: 'estimate.create',
            part: estimate.part,
            data: {
              sourceKey: estimate.billingPeriod ? messageId(dealSourceKey, estimate.billingPeriod) : dealSourceKey,
              customerSourceKey,
              contactSourceKeys: contacts.map((contact) => zomentumKey(connectionId, 'contact', contact.sourceId)),
              billingPeriod: estimate.billingPeriod,
              deal: {
                sourceId: deal.sourceId,
                number: deal.number,
                title: deal.title,
                description: deal.description,
                currency: deal.currency,
                wonAt: deal.wonAt,
              },
              lineItems: estimate.lineItems.map(toEstimateLine),
              total: roundMoney(estimate.lineItems.reduce((sum, item) => sum + lineTotal(item), 0)),
            },
          });
        }
        return commands;
      },
    }),
  ],
};

/**
 * Zomentum -> RepairShopr updates (a product's price, a client's or contact's details), with update sync on and a
 * push direction, for records a won document already brought to RepairShopr: their changed fields are written there.
 * A Zomentum record never pushed stays out of RepairShopr (only won documents push records). The contact filter and
 * product sync apply as they do to won documents.
 */
async function pushesUpdate(command: PlannedCommand, targetConnectionId: string, context: PlanContext): Promise<PlannedCommand[]> {
  return (await context.links.isWritten('repairshopr', targetConnectionId, command.data.sourceKey)) ? [command] : [];
}

export const pushedUpdateRules = {
  customer: integrationRule<'customer.updated', 'zomentum-repairshopr'>({
    kind: 'zomentum-repairshopr',
    from: 'source',
    plan(event, { settings, targetConnectionId }, context) {
      if (!settings.updateSync || !allowsPush(settings.direction)) return [];
      return pushesUpdate(customerPush(event.source.connectionId, event.data, true), targetConnectionId, context);
    },
  }),
  contact: integrationRule<'contact.updated', 'zomentum-repairshopr'>({
    kind: 'zomentum-repairshopr',
    from: 'source',
    plan(event, { settings, targetConnectionId }, context) {
      const contact = event.data;
      if (!settings.updateSync || !allowsPush(settings.direction) || !contactPassesFilter(settings, contact.createdAt)) return [];
      const command = contactPush(event.source.connectionId, contact, contact.customerSourceId, true);
      return pushesUpdate(command, targetConnectionId, context);
    },
  }),
  product: integrationRule<'product.updated', 'zomentum-repairshopr'>({
    kind: 'zomentum-repairshopr',
    from: 'source',
    plan(event, { settings, targetConnectionId }, context) {
      if (!settings.updateSync || !allowsPush(settings.direction)) return [];
      const command = productPush(event.source.connectionId, event.data, settings, true);
      return command ? pushesUpdate(command, targetConnectionId, context) : [];
    },
  }),
} satisfies Record<'customer' | 'contact' | 'product', IntegrationRule<'customer.updated' | 'contact.updated' | 'product.updated'>>;
