import type { Deal, DealLineItem, Order, Product } from '@junction/contracts';
import type { z } from 'zod';
import type { IntegrationOf } from '../../src/integrations/integration';
import { INTEGRATION_KINDS, type IntegrationKind } from '../../src/integrations/integration-kinds';

/** An integration as the store would return it, with settings parsed (and defaulted) by its kind. */
export function integrationOf<K extends IntegrationKind>(
  kind: K,
  settings: z.input<(typeof INTEGRATION_KINDS)[K]['settings']>,
  fields: Partial<Pick<IntegrationOf<K>, 'id' | 'enabled' | 'sourceConnectionId' | 'targetConnectionId'>> = {},
): IntegrationOf<K> {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind,
    name: `${kind} test`,
    enabled: true,
    sourceConnectionId: 'source-1',
    targetConnectionId: 'target-1',
    revision: 1,
    createdAt: new Date('2024-09-01T00:00:00Z'),
    updatedAt: new Date('2024-09-01T00:00:00Z'),
    ...fields,
    settings: INTEGRATION_KINDS[kind].settings.parse(settings),
  } as IntegrationOf<K>;
}

function product(sourceId: string, name: string, category: string, billingPeriod: Product['billingPeriod'], price: number): Product {
  return { sourceId, name, category, price, billingPeriod };
}

function line(item: Product, quantity: number): DealLineItem {
  return { sourceId: `li-${item.sourceId}`, product: item, quantity, unitPrice: item.price, billingPeriod: item.billingPeriod };
}

/** A won quote with one-time, monthly and yearly lines, and two contacts created a year apart. */
export function wonDeal(sourceId = 'D-1001'): Deal {
  const laptop = product('p-1', 'Laptop', 'Hardware', 'one_time', 1200);
  const setup = product('p-2', 'Setup', 'Labor', 'one_time', 150);
  const backup = product('p-3', 'Managed backup', 'Service', 'monthly', 49.9);
  const antivirus = product('p-4', 'Antivirus', 'Software', 'yearly', 30);
  return {
    sourceId,
    number: 'Q-2024-118',
    title: 'Office refresh',
    currency: 'EUR',
    customer: { sourceId: 'c-1', businessName: 'Acme Repairs Ltd' },
    contacts: [
      { sourceId: 'ct-1', customerSourceId: 'c-1', firstName: 'Ada', createdAt: '2023-01-10T09:00:00Z' },
      { sourceId: 'ct-2', customerSourceId: 'c-1', firstName: 'Grace', createdAt: '2024-06-01T09:00:00Z' },
    ],
    lineItems: [line(laptop, 2), line(backup, 3), line(setup, 1), line(antivirus, 5)],
    wonAt: '2024-09-23T15:00:00+02:00',
  };
}

/** A ZZap order of one oil filter, pending. */
export function zzapOrder(sourceId = '312'): Order {
  return {
    sourceId,
    number: `${sourceId}A`,
    status: { id: '1', name: 'Pending' },
    customer: { firstName: 'Ivan' },
    items: [{ article: 'OC-90', brand: 'Knecht', name: 'Oil filter', quantity: 1, unitPrice: 900 }],
    totals: { currency: 'RUB', subtotal: 900, total: 900 },
    coupons: [],
    createdAt: '2024-09-23T18:00:00+03:00',
  };
}
