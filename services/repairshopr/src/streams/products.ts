import type { EventData, PullStream } from '@junction/connector-runtime';
import type { RsProduct } from '../client';
import { clientFor } from '../commands/context';
import type { RepairShoprCredentials, RepairShoprSettings } from '../settings';
import { definedFields } from '../values';
import { pullChanges, readPages, type PageCursor } from './paged';

/** RepairShopr's trial default category; uncategorised products belong to it. */
export const DEFAULT_CATEGORY = 'Default';

export function toProduct(row: RsProduct): EventData<'product.created'> {
  return {
    sourceId: String(row.id),
    name: row.name,
    ...definedFields({ description: row.description, sku: row.upc_code }),
    // `product_category` may list several names ("Hardware, Cables"); the first is the product's own.
    category: row.product_category?.split(',')[0]?.trim() || DEFAULT_CATEGORY,
    price: row.price_retail,
    cost: row.price_cost,
    // Inventory items are sold once; RepairShopr has no recurring products.
    billingPeriod: 'one_time',
    taxable: row.taxable,
  };
}

export const productsStream: PullStream<RepairShoprSettings, RepairShoprCredentials, PageCursor> = {
  entityType: 'product',
  eventSubject: 'product.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    return pullChanges(ctx, 'product', readPages(cursor, (page) => client.products(page)), (row) => {
      // Products carry no timestamps at all: the pull's own time stands in.
      const now = new Date().toISOString();
      return { key: String(row.id), data: toProduct(row), createdAt: now, changedAt: now };
    });
  },
};
