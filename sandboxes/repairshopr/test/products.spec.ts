import { useSandbox } from './harness';

const harness = useSandbox();

describe('RepairShopr products', () => {
  it('lists categories: the default Default/Labor/Hardware and user-added ones, with ancestry', async () => {
    const { body } = await harness.call('/products/categories');
    type Category = { name: string; ancestry: string | null; names_depth_cache: string };
    const categories = body.categories.map((category: Category) => [category.name, category.ancestry, category.names_depth_cache]);
    expect(categories).toEqual([
      ['Default', null, 'Default'],
      ['Labor', null, 'Labor'],
      ['Hardware', null, 'Hardware'],
      ['Accessories', null, 'Accessories'],
      ['Cables', '3', 'Hardware > Cables'],
    ]);
  });

  it('pages by 25 and filters by category_id', async () => {
    await harness.sandbox.control.reset({ productsPerCategory: 6 });
    const first = await harness.call('/products');
    expect(first.body.meta).toEqual({ total_pages: 2, total_entries: 30, per_page: 25, page: 1 });
    expect(first.body.products[0]).toMatchObject({
      id: 1,
      name: 'Diagnostic Fee',
      price_retail: 15,
      price_cost: 9,
      product_category: 'Default',
    });
    expect(first.body.products[0]).not.toHaveProperty('updated_at');
    const labor = await harness.call('/products?category_id=2');
    expect(labor.body.products.map((product: { product_category: string }) => product.product_category)).toEqual(Array(6).fill('Labor'));
    const cables = await harness.call('/products?category_id=5&page=1');
    expect(cables.body.products[0].category_path).toBe('Hardware > Cables');
  });

  it('creates a product with numeric prices and a category, and reads it back', async () => {
    const created = await harness.call('/products', {
      method: 'POST',
      body: { name: 'Managed Backup', description: 'Monthly backup service', price_retail: 49.99, price_cost: 20, category_ids: [2] },
    });
    expect(created.status).toBe(200);
    expect(created.body.product).toMatchObject({
      name: 'Managed Backup',
      price_retail: 49.99,
      product_category: 'Labor',
      category_path: 'Labor',
      taxable: true,
    });
    const id = created.body.product.id;
    expect((await harness.call(`/products/${id}`)).body.product).toEqual(created.body.product);
    expect((await harness.sandbox.control.records<{ id: number }>('products')).some((product) => product.id === id)).toBe(true);
  });

  it('answers 422 when name and description are blank', async () => {
    const response = await harness.call('/products', { method: 'POST', body: { name: '', maintain_stock: false } });
    expect([response.status, response.body]).toEqual([
      422,
      { success: false, message: ["Name can't be blank", "Description can't be blank"], params: { name: '', maintain_stock: false } },
    ]);
  });

  it('updates a product (a price change) with PUT', async () => {
    const updated = await harness.call('/products/1', { method: 'PUT', body: { price_retail: 19.5 } });
    expect(updated.body.product).toMatchObject({ id: 1, name: 'Diagnostic Fee', price_retail: 19.5 });
  });
});
