import { type CommandData, type CommandResult, observeCreated, updateChanged } from '@junction/connector-runtime';
import { VendorValidationError } from '@junction/vendor-http';
import { fromBillingPeriod, toProduct } from '../canonical';
import { filters, type ItemInput, type ZItem, type ZomentumClient, type ZPricing } from '../client';
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

/** The item's fields as Zomentum names them; the price of the product's billing period is one field. */
function itemFields(product: Product, category: string) {
  return {
    name: product.name,
    description: product.description ?? null,
    sku: product.sku ?? null,
    category,
    pricing: {
      billing_period: fromBillingPeriod(product.billingPeriod),
      sell_price: product.price,
      cost_price: product.cost ?? null,
    },
  };
}

type ItemFields = ReturnType<typeof itemFields>;

/** The item's prices with the one of this billing period set (added when it has none); the others stay. */
function withPrice(pricing: ZPricing[], price: ItemFields['pricing']): ItemInput['pricing'] {
  const kept = pricing.map((entry) => ({
    name: entry.name ?? 'Standard',
    billing_period: entry.billing_period,
    sell_price: entry.sell_price,
    ...(entry.setup_price != null ? { setup_price: entry.setup_price } : {}),
    ...(entry.cost_price != null ? { cost_price: entry.cost_price } : {}),
  }));
  const changed = { sell_price: price.sell_price, ...(price.cost_price !== null ? { cost_price: price.cost_price } : {}) };
  const index = kept.findIndex((entry) => entry.billing_period === price.billing_period);
  if (index < 0) return [...kept, { name: 'Standard', billing_period: price.billing_period, ...changed }];
  return kept.map((entry, at) => (at === index ? { ...entry, ...changed } : entry));
}

export async function ensureItem(ctx: ZCommandContext, data: CommandData<'product.ensure'>): Promise<CommandResult> {
  const client = clientFor(ctx);
  const { product } = data;
  const fields = itemFields(product, data.targetCategory);
  let created: ZItem | undefined;
  const ensured = await ctx.idMap.ensure('product', data.sourceKey, {
    lookupExisting: () => findItem(client, product),
    create: async () => {
      created = await client.createItem({
        name: fields.name,
        // Recurring products are services in Zomentum; one-time ones are goods.
        type: product.billingPeriod === 'one_time' ? 'product' : 'service',
        ...definedFields({ description: fields.description, sku: fields.sku }),
        category_id: await categoryId(client, fields.category),
        pricing: withPrice([], fields.pricing),
      });
      return created.id;
    },
  });
  const itemId = ensured.externalId;
  if (created) {
    await observeCreated(ctx, 'product', itemId, toProduct(created), fields);
  } else if (data.updateExisting) {
    const outcome = await updateChanged(ctx, 'product', itemId, fields, async ({ category, pricing, ...plain }) => {
      const body: Record<string, unknown> = { ...plain };
      if (category !== undefined) body.category_id = await categoryId(client, fields.category);
      if (pricing !== undefined) body.pricing = withPrice((await client.item(itemId)).pricing, fields.pricing);
      return toProduct(await client.updateItem(itemId, body));
    });
    if (outcome === 'updated') return { entityType: 'product', externalId: itemId, outcome };
  }
  return { entityType: 'product', ...ensured };
}
