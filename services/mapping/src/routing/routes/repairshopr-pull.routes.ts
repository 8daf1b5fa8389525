import { sourceKey } from '@junction/contracts';
import { zomentumCategoryFor } from '../../rules/category-map';
import { allowsPull } from '../../rules/direction';
import { contactPassesFilter, productPassesFilter } from '../../rules/record-filters';
import { integrationRule, type EventRoute } from '../event-route';

// RepairShopr -> Zomentum pull: records created in RepairShopr become Zomentum records when the integration's
// direction includes pulling and its conditions and filters let them through.

export const customerCreatedRoute: EventRoute<'customer.created'> = {
  subject: 'customer.created',
  rules: [
    integrationRule<'customer.created', 'zomentum-repairshopr'>({
      kind: 'zomentum-repairshopr',
      from: 'target',
      plan(event, integration) {
        if (!allowsPull(integration.settings.direction)) return [];
        const customer = event.data;
        return [
          {
            connector: 'zomentum',
            action: 'customer.ensure',
            part: customer.sourceId,
            data: {
              sourceKey: sourceKey('repairshopr', event.source.connectionId, 'customer', customer.sourceId),
              customer,
              updateExisting: integration.settings.updateSync,
            },
          },
        ];
      },
    }),
  ],
};

export const contactCreatedRoute: EventRoute<'contact.created'> = {
  subject: 'contact.created',
  rules: [
    integrationRule<'contact.created', 'zomentum-repairshopr'>({
      kind: 'zomentum-repairshopr',
      from: 'target',
      plan(event, integration) {
        const contact = event.data;
        const settings = integration.settings;
        if (!allowsPull(settings.direction) || !contactPassesFilter(settings, contact.createdAt)) return [];
        const key = (entityType: string, id: string) => sourceKey('repairshopr', event.source.connectionId, entityType, id);
        return [
          {
            connector: 'zomentum',
            action: 'contact.ensure',
            part: contact.sourceId,
            data: {
              sourceKey: key('contact', contact.sourceId),
              customerSourceKey: key('customer', contact.customerSourceId),
              contact,
              updateExisting: settings.updateSync,
            },
          },
        ];
      },
    }),
  ],
};

export const productCreatedRoute: EventRoute<'product.created'> = {
  subject: 'product.created',
  rules: [
    integrationRule<'product.created', 'zomentum-repairshopr'>({
      kind: 'zomentum-repairshopr',
      from: 'target',
      plan(event, integration) {
        const product = event.data;
        const settings = integration.settings;
        if (!allowsPull(settings.direction) || !productPassesFilter(settings, product.category)) return [];
        return [
          {
            connector: 'zomentum',
            action: 'product.ensure',
            part: product.sourceId,
            data: {
              sourceKey: sourceKey('repairshopr', event.source.connectionId, 'product', product.sourceId),
              product,
              targetCategory: zomentumCategoryFor(settings.categoryMap, product.category),
              updateExisting: settings.updateSync,
            },
          },
        ];
      },
    }),
  ],
};
