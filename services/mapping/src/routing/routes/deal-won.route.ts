import { messageId, sourceKey, type DealLineItem, type EstimateLineItem } from '@junction/contracts';
import { repairShoprCategoryFor } from '../../rules/category-map';
import { allowsPush } from '../../rules/direction';
import { splitQuoteIntoEstimates } from '../../rules/quote-split';
import { contactPassesFilter } from '../../rules/record-filters';
import { integrationRule, type EventRoute } from '../event-route';
import type { PlannedCommand } from '../planned-command';

function lineTotal(item: DealLineItem): number {
  return item.quantity * item.unitPrice - (item.discount ?? 0);
}

// Amounts are in major units; summing floats leaves dust like 149.70000000000002.
function roundMoney(amount: number): number {
  return Math.round(amount * 100) / 100;
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
        const key = (entityType: string, id: string) => sourceKey('zomentum', event.source.connectionId, entityType, id);
        const updateExisting = settings.updateSync;
        const customerSourceKey = key('client', deal.customer.sourceId);
        const commands: PlannedCommand[] = [
          {
            connector: 'repairshopr',
            action: 'customer.ensure',
            part: deal.customer.sourceId,
            data: { sourceKey: customerSourceKey, customer: deal.customer, updateExisting },
          },
        ];

        const contacts = deal.contacts.filter((contact) => contactPassesFilter(settings, contact.createdAt));
        for (const contact of contacts) {
          commands.push({
            connector: 'repairshopr',
            action: 'contact.ensure',
            part: contact.sourceId,
            data: { sourceKey: key('contact', contact.sourceId), customerSourceKey, contact, updateExisting },
          });
        }

        if (settings.productSync) {
          const products = new Map(deal.lineItems.map((item) => [item.product.sourceId, item.product]));
          for (const product of products.values()) {
            commands.push({
              connector: 'repairshopr',
              action: 'product.ensure',
              part: product.sourceId,
              data: {
                sourceKey: key('product', product.sourceId),
                product,
                targetCategory: repairShoprCategoryFor(settings.categoryMap, product.category),
                updateExisting,
              },
            });
          }
        }

        const dealSourceKey = key('document', deal.sourceId);
        const toEstimateLine = (item: DealLineItem): EstimateLineItem => ({
          // Without product sync the line stays free text instead of pointing at a product never created.
          productSourceKey: settings.productSync ? key('product', item.product.sourceId) : undefined,
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
              contactSourceKeys: contacts.map((contact) => key('contact', contact.sourceId)),
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
