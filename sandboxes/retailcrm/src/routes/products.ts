import { isParamObject, json, listParam, stringParam, type ParamObject, type Router } from '@junction/sandbox-kit';
import { pageRequest, pagination, withKey } from '../api';
import type { RetailCrmData } from '../data';
import type { Product } from '../records';

/**
 * `filter[name]` matches a product's name (substring) or its or an offer's article exactly, as the CRM's "name or
 * article" search does; `filter[externalId]` / `filter[xmlId]` the product, `filter[offerExternalId]` an offer.
 */
function matches(product: Product, filter: ParamObject): boolean {
  const ids = listParam(filter, 'ids');
  const offerIds = listParam(filter, 'offerIds');
  const name = stringParam(filter, 'name');
  const externalId = stringParam(filter, 'externalId');
  const offerExternalId = stringParam(filter, 'offerExternalId');
  const xmlId = stringParam(filter, 'xmlId');
  const active = stringParam(filter, 'active');
  const articles = [product.article, ...product.offers.map((offer) => offer.article)];
  return (
    (ids.length === 0 || ids.includes(String(product.id))) &&
    (offerIds.length === 0 || product.offers.some((offer) => offerIds.includes(String(offer.id)))) &&
    (name === undefined || articles.includes(name) || product.name.toLowerCase().includes(name.toLowerCase())) &&
    (externalId === undefined || product.externalId === externalId) &&
    (offerExternalId === undefined || product.offers.some((offer) => offer.externalId === offerExternalId)) &&
    (xmlId === undefined || product.offers.some((offer) => offer.xmlId === xmlId)) &&
    (active === undefined || product.active === (active === '1'))
  );
}

export function productRoutes(api: Router<RetailCrmData>): void {
  api.get(
    '/store/products',
    withKey((request, data) => {
      const paging = pageRequest(request);
      if ('status' in paging) return paging;
      const filter = isParamObject(request.query.filter) ? request.query.filter : {};
      const products = data.products.filter((product) => matches(product, filter));
      const start = (paging.page - 1) * paging.limit;
      return json(200, { success: true, pagination: pagination(paging.page, paging.limit, products.length), products: products.slice(start, start + paging.limit) });
    }, 'store_read'),
  );
}
