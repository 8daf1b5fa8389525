import { type CommandData, type CommandResult, observeCreated, updateChanged } from '@junction/connector-runtime';
import type { RepairShoprClient, RsProduct } from '../client';
import { toProduct } from '../streams/products';
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

/** The product's fields as RepairShopr names them; a cost or taxability the source does not tell is not synced. */
function productFields(product: Product, category: string) {
  return {
    name: product.name,
    // RepairShopr requires a description.
    description: product.description ?? product.name,
    price_retail: product.price,
    price_cost: product.cost,
    taxable: product.taxable,
    upc_code: product.sku ?? null,
    product_category: category,
  };
}

export async function ensureProduct(ctx: RsCommandContext, data: CommandData<'product.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { product } = data;
  const fields = productFields(product, data.targetCategory);
  let created: RsProduct | undefined;
  const ensured = await ctx.idMap.ensure('product', data.sourceKey, {
    lookupExisting: () => findProduct(client, product),
    create: async () => {
      created = await client.createProduct({
        name: fields.name,
        description: fields.description,
        price_retail: fields.price_retail,
        ...(fields.price_cost !== undefined ? { price_cost: fields.price_cost } : {}),
        ...(fields.taxable !== undefined ? { taxable: fields.taxable } : {}),
        ...(fields.upc_code ? { upc_code: fields.upc_code } : {}),
        product_category: fields.product_category,
      });
      return String(created.id);
    },
  });
  if (created) {
    await observeCreated(ctx, 'product', ensured.externalId, toProduct(created), fields);
  } else if (data.updateExisting) {
    const outcome = await updateChanged(ctx, 'product', ensured.externalId, fields, async (changes) =>
      toProduct(await client.updateProduct(ensured.externalId, changes)),
    );
    if (outcome === 'updated') return { entityType: 'product', externalId: ensured.externalId, outcome };
  }
  return { entityType: 'product', ...ensured };
}
