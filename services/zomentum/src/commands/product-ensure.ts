import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { VendorValidationError } from '@junction/vendor-http';
import { fromBillingPeriod } from '../canonical';
import { filters, type ZomentumClient } from '../client';
import { clientFor, definedFields, sameText, type ZCommandContext } from '../context';

type Product = CommandData<'product.ensure'>['product'];

async function findItem(client: ZomentumClient, product: Product): Promise<string | undefined> {
  const filter = product.sku ? filters(['sku', 'eq', product.sku]) : filters(['name', 'contains', product.name]);
  const { items } = await client.items(1, filter);
  return items.find((row) => (product.sku ? row.sku === product.sku : sameText(row.name, product.name)))?.id;
}

/** The category the integration's map chose; a user-added one is created the first time it is needed. */
async function categoryId(client: ZomentumClient, name: string): Promise<string> {
  const existing = (await client.categories()).find((category) => sameText(category.name, name));
  if (existing) return existing.id;
  try {
    return (await client.createCategory(name)).id;
  } catch (error) {
    // Another command created it meanwhile.
    const created = (await client.categories()).find((category) => sameText(category.name, name));
    if (error instanceof VendorValidationError && created) return created.id;
    throw error;
  }
}

export async function ensureItem(ctx: ZCommandContext, data: CommandData<'product.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { product } = data;
  const ensured = await ctx.idMap.ensure('product', data.sourceKey, {
    lookupExisting: () => findItem(client, product),
    create: async () => {
      const created = await client.createItem({
        name: product.name,
        // Recurring products are services in Zomentum; one-time ones are goods.
        type: product.billingPeriod === 'one_time' ? 'product' : 'service',
        ...definedFields({ description: product.description, sku: product.sku }),
        category_id: await categoryId(client, data.targetCategory),
        pricing: [
          {
            name: 'Standard',
            billing_period: fromBillingPeriod(product.billingPeriod),
            sell_price: product.price,
            ...(product.cost !== undefined ? { cost_price: product.cost } : {}),
          },
        ],
      });
      return created.id;
    },
  });
  return { entityType: 'product', ...ensured };
}
