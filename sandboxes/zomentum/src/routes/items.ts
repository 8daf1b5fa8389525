import { json, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import { nestedId, type ZomentumData } from '../data';
import { apiError, notFound, validationError, type FieldError } from '../errors';
import { listReply } from '../listing';
import { isObject, optionalString, shown } from '../present';
import { BILLING_PERIODS, type Pricing } from '../records';

const ITEM_TYPES = ['product', 'service'];

function priceOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Each pricing entry needs a known billing period and a sell price; setup and cost prices default to 0. */
function pricingOf(value: unknown, data: ZomentumData, errors: FieldError[]): Pricing[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ field: 'pricing', message: 'pricing must hold at least one price' });
    return [];
  }
  return value.map((entry, index) => {
    const source = isObject(entry) ? entry : {};
    const period = source.billing_period;
    if (!BILLING_PERIODS.includes(period as Pricing['billing_period'])) {
      const message = `billing_period must be one of ${BILLING_PERIODS.join(', ')}`;
      errors.push({ field: `pricing[${index}].billing_period`, message });
    }
    const sellPrice = priceOf(source.sell_price);
    if (sellPrice === undefined) {
      errors.push({ field: `pricing[${index}].sell_price`, message: 'sell_price must be a number of 0 or more' });
    }
    return {
      id: nestedId(data, '9c1ce0'),
      name: optionalString(source.name) ?? 'Standard',
      billing_period: period as Pricing['billing_period'],
      sell_price: sellPrice ?? 0,
      setup_price: priceOf(source.setup_price) ?? 0,
      cost_price: priceOf(source.cost_price) ?? 0,
    };
  });
}

function itemFields(body: unknown, creating: boolean, data: ZomentumData, accountId: string) {
  const source = isObject(body) ? body : {};
  const errors: FieldError[] = [];
  const fields: Record<string, unknown> = {};
  if ('name' in source || creating) {
    if (typeof source.name !== 'string' || source.name.trim() === '') errors.push({ field: 'name', message: 'name is required' });
    else fields.name = source.name.trim();
  }
  if ('type' in source || creating) {
    if (ITEM_TYPES.includes(source.type as string)) fields.type = source.type;
    else errors.push({ field: 'type', message: `type must be one of ${ITEM_TYPES.join(', ')}` });
  }
  if ('pricing' in source || creating) fields.pricing = pricingOf(source.pricing, data, errors);
  if ('category_id' in source) {
    const category = typeof source.category_id === 'string' ? data.itemCategories.get(source.category_id) : undefined;
    if (source.category_id !== null && category?.account_id !== accountId) {
      errors.push({ field: 'category_id', message: 'category_id must reference an item category' });
    } else {
      fields.category = category ? { id: category.id, name: category.name } : null;
    }
  }
  for (const key of ['description', 'sku']) if (key in source) fields[key] = optionalString(source[key]);
  if (Array.isArray(source.item_images)) fields.item_images = source.item_images.filter((url) => typeof url === 'string');
  return { fields, errors };
}

export function itemRoutes(api: Router<ZomentumData>): void {
  api.get(
    '/items/categories',
    guarded((request, data, { account }) =>
      listReply(request, data.itemCategories.filter((category) => category.account_id === account.id), shown),
    ),
  );

  api.post(
    '/items/categories',
    guarded((request, data, { account }) => {
      const name = isObject(request.body) ? optionalString(request.body.name)?.trim() : undefined;
      if (!name) return validationError([{ field: 'name', message: 'name is required' }]);
      const taken = data.itemCategories.find(
        (category) => category.account_id === account.id && category.name.toLowerCase() === name.toLowerCase(),
      );
      if (taken) return apiError(400, `Item category "${taken.name}" exists already`);
      return json(201, shown(data.itemCategories.insert({ account_id: account.id, name, is_default: false })));
    }),
  );

  api.get(
    '/items',
    guarded((request, data, { account }) => listReply(request, data.items.filter((item) => item.account_id === account.id), shown)),
  );

  api.post(
    '/items',
    guarded((request, data, { account }) => {
      const { fields, errors } = itemFields(request.body, true, data, account.id);
      if (errors.length > 0) return validationError(errors);
      return json(201, shown(data.items.insert({ ...fields, account_id: account.id })));
    }),
  );

  api.get(
    '/items/:id',
    guarded((request, data, { account }) => {
      const item = data.items.get(request.params.id);
      return item?.account_id === account.id ? json(200, shown(item)) : notFound('Item');
    }),
  );

  api.put(
    '/items/:id',
    guarded((request, data, { account }) => {
      const item = data.items.get(request.params.id);
      if (item?.account_id !== account.id) return notFound('Item');
      const { fields, errors } = itemFields(request.body, false, data, account.id);
      if (errors.length > 0) return validationError(errors);
      return json(200, shown(data.items.update(item.id, fields)!));
    }),
  );
}
