import { empty, intParam, json, listParam, stringParam, type Router } from '@junction/sandbox-kit';
import { guarded, PERMISSIONS } from '../auth';
import type { RepairShoprData } from '../data';
import { contains, pageOf, pickFields, sortBy, type FieldKind } from '../fields';
import type { Account, Product, ProductCategory } from '../records';

const PRODUCT_FIELDS: Record<string, FieldKind> = {
  name: 'string',
  description: 'string',
  long_description: 'string',
  price_cost: 'number',
  price_retail: 'number',
  price_wholesale: 'number',
  condition: 'string',
  maintain_stock: 'boolean',
  quantity: 'integer',
  warranty: 'string',
  sort_order: 'integer',
  reorder_at: 'integer',
  disabled: 'boolean',
  taxable: 'boolean',
  product_category: 'string',
  category_ids: 'integers',
  upc_code: 'string',
  discount_percent: 'number',
  warranty_template_id: 'integer',
  qb_item_id: 'integer',
  desired_stock_level: 'integer',
  notes: 'string',
  tax_rate_id: 'integer',
  vendor_ids: 'integers',
  physical_location: 'string',
  serialized: 'boolean',
};

function presentProduct(product: Product) {
  const { account_id: _account, ...shown } = product;
  return shown;
}

function categoriesOf(data: RepairShoprData, account: Account): ProductCategory[] {
  return data.productCategories.filter((category) => category.account_id === account.id);
}

/**
 * Where a product's category lands: `category_ids` name known categories, `product_category` is free text that
 * picks up the full path when it names a known category. (How the live API reconciles the two is undocumented.)
 */
function categoryFields(fields: Record<string, unknown>, categories: ProductCategory[]): Record<string, unknown> {
  const { category_ids: ids, ...rest } = fields;
  const byId = Array.isArray(ids) ? categories.filter((category) => ids.includes(category.id)) : [];
  if (byId.length > 0) {
    return { ...rest, product_category: byId.map((category) => category.name).join(', '), category_path: byId[0].names_depth_cache };
  }
  if (typeof rest.product_category !== 'string') return rest;
  const name = rest.product_category.toLowerCase();
  const known = categories.find(
    (category) => category.name.toLowerCase() === name || category.names_depth_cache.toLowerCase() === name,
  );
  return { ...rest, category_path: known ? known.names_depth_cache : rest.product_category };
}

function inCategory(product: Product, category: ProductCategory): boolean {
  return product.category_path === category.names_depth_cache || product.product_category === category.name;
}

function blankErrors(fields: Record<string, unknown>, required: string[]): string[] {
  return required.filter((field) => !fields[field]).map((field) => `${field[0].toUpperCase()}${field.slice(1)} can't be blank`);
}

export function productRoutes(api: Router<RepairShoprData>): void {
  api.get(
    '/products/categories',
    guarded(PERMISSIONS.productsList, (_request, data, { account }) =>
      json(200, { categories: categoriesOf(data, account) }),
    ),
  );

  api.get(
    '/products',
    guarded(PERMISSIONS.productsList, (request, data, { account }) => {
      const query = request.query;
      const ids = listParam(query, 'id');
      const notIds = listParam(query, 'id_not');
      const name = stringParam(query, 'name');
      const upc = stringParam(query, 'upc_code');
      const text = stringParam(query, 'query');
      const categoryId = intParam(query, 'category_id');
      const category = categoryId === undefined ? undefined : data.productCategories.get(categoryId);
      const matching = data.products.filter(
        (product) =>
          product.account_id === account.id &&
          (ids.length === 0 || ids.includes(String(product.id))) &&
          !notIds.includes(String(product.id)) &&
          (name === undefined || contains(product.name, name)) &&
          (upc === undefined || product.upc_code === upc) &&
          (text === undefined || [product.name, product.description, product.upc_code].some((value) => contains(value, text))) &&
          (categoryId === undefined || (category !== undefined && inCategory(product, category))),
      );
      const { items, meta } = pageOf(sortBy(matching, stringParam(query, 'sort')), query, data.pageSizes.products);
      return json(200, { products: items.map(presentProduct), meta });
    }),
  );

  api.post(
    '/products',
    guarded(PERMISSIONS.productsCreate, (request, data, { account }) => {
      const fields = pickFields(request.body, PRODUCT_FIELDS);
      const errors = blankErrors(fields, ['name', 'description']);
      if (errors.length > 0) return json(422, { success: false, message: errors, params: request.body ?? {} });
      const product = data.products.insert({ ...categoryFields(fields, categoriesOf(data, account)), account_id: account.id });
      return json(200, { product: presentProduct(product) });
    }),
  );

  api.get(
    '/products/:id',
    guarded(PERMISSIONS.productsList, (request, data, { account }) => {
      const product = data.products.get(request.params.id);
      if (!product || product.account_id !== account.id) return empty(404);
      return json(200, { product: presentProduct(product) });
    }),
  );

  api.put(
    '/products/:id',
    guarded(PERMISSIONS.productsEdit, (request, data, { account }) => {
      const product = data.products.get(request.params.id);
      if (!product || product.account_id !== account.id) return empty(404);
      const fields = pickFields(request.body, PRODUCT_FIELDS);
      const errors = blankErrors(fields, ['name', 'description'].filter((field) => field in fields));
      if (errors.length > 0) return json(422, { success: false, message: errors });
      const updated = data.products.update(product.id, categoryFields(fields, categoriesOf(data, account)));
      return json(200, { product: presentProduct(updated!) });
    }),
  );
}
