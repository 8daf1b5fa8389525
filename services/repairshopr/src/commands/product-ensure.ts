import type { CommandData, CommandResult } from '@junction/connector-runtime';
import type { RepairShoprClient } from '../client';
import { clientFor, sameText, type RsCommandContext } from './context';

type Product = CommandData<'product.ensure'>['product'];

/** By SKU (RepairShopr's UPC code) when there is one, else by exact name. */
async function findProduct(client: RepairShoprClient, product: Product): Promise<string | undefined> {
  const query = product.sku ? { upc_code: product.sku } : { name: product.name };
  for (let page = 1; ; page++) {
    const { items, meta } = await client.products(page, query);
    const match = items.find((row) => (product.sku ? row.upc_code === product.sku : sameText(row.name, product.name)));
    if (match) return String(match.id);
    if (page >= meta.total_pages) return undefined;
  }
}

export async function ensureProduct(ctx: RsCommandContext, data: CommandData<'product.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { product } = data;
  const ensured = await ctx.idMap.ensure('product', data.sourceKey, {
    lookupExisting: () => findProduct(client, product),
    create: async () => {
      const created = await client.createProduct({
        name: product.name,
        // RepairShopr requires a description.
        description: product.description ?? product.name,
        price_retail: product.price,
        ...(product.cost !== undefined ? { price_cost: product.cost } : {}),
        ...(product.taxable !== undefined ? { taxable: product.taxable } : {}),
        ...(product.sku ? { upc_code: product.sku } : {}),
        product_category: data.targetCategory,
      });
      return String(created.id);
    },
  });
  return { entityType: 'product', ...ensured };
}
