import type { EventData, PullStream } from '@junction/connector-runtime';
import { RepairShoprClient, type RsProduct } from '../client';
import type { RepairShoprCredentials, RepairShoprSettings } from '../settings';
import { definedFields } from '../values';
import { readPages, type PageCursor } from './paged';

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
    const client = new RepairShoprClient(ctx.connection.id, ctx.connection.settings, ctx.credentials);
    // Products carry no timestamps at all: the pull's own time stands in.
    return readPages(cursor, (page) => client.products(page), (row) => ({
      key: String(row.id),
      data: toProduct(row),
      occurredAt: new Date().toISOString(),
    }));
  },
};
