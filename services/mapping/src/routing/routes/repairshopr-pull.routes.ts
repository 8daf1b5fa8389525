import { sourceKey, type Contact, type Customer, type Product } from '@junction/contracts';
import type { SettingsOf } from '../../integrations/integration-kinds';
import { zomentumCategoryFor } from '../../rules/category-map';
import { allowsPull } from '../../rules/direction';
import { contactPassesFilter, productPassesFilter } from '../../rules/record-filters';
import { integrationRule, type EventOf, type EventRoute, type IntegrationRule, type RoutedSubject } from '../event-route';
import type { PlannedCommand } from '../planned-command';
import { pushedUpdateRules } from './deal-won.route';

// RepairShopr -> Zomentum pull: records created in RepairShopr become Zomentum records when the integration's
// direction includes pulling and its conditions and filters let them through. With update sync on, later changes of
// RepairShopr records update them in Zomentum too (and Zomentum's changes go the other way, see deal-won.route.ts).

type Settings = SettingsOf<'zomentum-repairshopr'>;

/** What a pull rule reads of an event: the RepairShopr connection and the record. */
interface Pulled<T> {
  source: { connectionId: string };
  data: T;
}

function customerPull({ source, data: customer }: Pulled<Customer>, settings: Settings): PlannedCommand[] {
  return [
    {
      connector: 'zomentum',
      action: 'customer.ensure',
      part: customer.sourceId,
      data: {
        sourceKey: sourceKey('repairshopr', source.connectionId, 'customer', customer.sourceId),
        customer,
        updateExisting: settings.updateSync,
      },
    },
  ];
}

function contactPull({ source, data: contact }: Pulled<Contact>, settings: Settings): PlannedCommand[] {
  if (!contactPassesFilter(settings, contact.createdAt)) return [];
  const key = (entityType: string, id: string) => sourceKey('repairshopr', source.connectionId, entityType, id);
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
}

function productPull({ source, data: product }: Pulled<Product>, settings: Settings): PlannedCommand[] {
  const targetCategory = productPassesFilter(settings, product.category) ? zomentumCategoryFor(settings, product.category) : undefined;
  if (targetCategory === undefined) return [];
  return [
    {
      connector: 'zomentum',
      action: 'product.ensure',
      part: product.sourceId,
      data: {
        sourceKey: sourceKey('repairshopr', source.connectionId, 'product', product.sourceId),
        product,
        targetCategory,
        updateExisting: settings.updateSync,
      },
    },
  ];
}

/** A rule for events from RepairShopr: pull directions only; updates only with update sync on. */
function pullRule<S extends RoutedSubject>(
  subject: S,
  plan: (event: EventOf<S>, settings: Settings) => PlannedCommand[],
): IntegrationRule<S> {
  return integrationRule<S, 'zomentum-repairshopr'>({
    kind: 'zomentum-repairshopr',
    from: 'target',
    plan(event, { settings }) {
      if (!allowsPull(settings.direction)) return [];
      if (subject.endsWith('.updated') && !settings.updateSync) return [];
      return plan(event, settings);
    },
  });
}

export const customerCreatedRoute: EventRoute<'customer.created'> = {
  subject: 'customer.created',
  rules: [pullRule('customer.created', customerPull)],
};

export const contactCreatedRoute: EventRoute<'contact.created'> = {
  subject: 'contact.created',
  rules: [pullRule('contact.created', contactPull)],
};

export const productCreatedRoute: EventRoute<'product.created'> = {
  subject: 'product.created',
  rules: [pullRule('product.created', productPull)],
};

export const customerUpdatedRoute: EventRoute<'customer.updated'> = {
  subject: 'customer.updated',
  rules: [pullRule('customer.updated', customerPull), pushedUpdateRules.customer],
};

export const contactUpdatedRoute: EventRoute<'contact.updated'> = {
  subject: 'contact.updated',
  rules: [pullRule('contact.updated', contactPull), pushedUpdateRules.contact],
};

export const productUpdatedRoute: EventRoute<'product.updated'> = {
  subject: 'product.updated',
  rules: [pullRule('product.updated', productPull), pushedUpdateRules.product],
};
