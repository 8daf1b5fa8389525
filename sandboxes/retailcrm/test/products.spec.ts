import { useSandbox } from './harness';

const harness = useSandbox();

describe('RetailCRM store products', () => {
  it('finds a product by article (filter[name]) or by externalId, with its offers', async () => {
    const byArticle = await harness.call('/store/products?filter[name]=ART-3');
    expect(byArticle.body).toMatchObject({
      success: true,
      pagination: { limit: 20, totalCount: 1, currentPage: 1, totalPageCount: 1 },
      products: [{ article: 'ART-3', externalId: 'ext-3', offers: [{ externalId: 'ext-3', article: 'ART-3', price: 1030 }] }],
    });
    const byExternalId = await harness.call('/store/products?filter[externalId]=ext-4');
    expect(byExternalId.body.products.map((product: { article: string }) => product.article)).toEqual(['ART-4']);
    const byOffer = await harness.call('/store/products?filter[offerExternalId]=ext-1');
    expect(byOffer.body.products).toHaveLength(1);
    expect((await harness.call('/store/products?filter[name]=UNKNOWN')).body.products).toEqual([]);
  });

  it('paginates the catalogue', async () => {
    await harness.sandbox.control.reset({ products: 45 });
    const third = await harness.call('/store/products?page=3');
    expect(third.body.pagination).toEqual({ limit: 20, totalCount: 45, currentPage: 3, totalPageCount: 3 });
    expect(third.body.products).toHaveLength(5);
  });
});
