import type { CommandData, EventData } from '@junction/connector-runtime';
import { ConnectorName } from '@junction/contracts';
import type { RcOffer, RcOrderInput, RcProduct } from './client';

type OrderUpsert = CommandData<'order.upsert'>;
type Order = OrderUpsert['order'];
type Item = Order['items'][number];
export type ProductMatching = OrderUpsert['productMatching'];
type OrderOrigin = NonNullable<EventData<'order.status.changed'>['orderOrigin']>;

/**
 * The externalId of the RetailCRM order made from a source order: `<source connector>-<its id>` (`zzap-1042`). It is
 * the natural key: a retry after a lost response finds the order by it (per site) instead of creating another.
 */
export function externalIdOf(sourceKey: string, order: Pick<Order, 'sourceId'>): string {
  const connector = sourceKey.split(':')[0];
  return `${connector}-${order.sourceId}`;
}

/**
 * The source order an externalId made by externalIdOf names (`zzap-1042`: ZZap order 1042); undefined for one set
 * otherwise (by a user, a website), whose first part names no connector.
 */
export function originOf(externalId: string | null | undefined): OrderOrigin | undefined {
  const [, connector, sourceId] = /^([a-z]+)-(.+)$/.exec(externalId ?? '') ?? [];
  const known = ConnectorName.safeParse(connector);
  return known.success && sourceId ? { connector: known.data, sourceId } : undefined;
}

/** The catalogue search (`/store/products` filter) that can find the item's product; undefined when none can. */
export function productFilterOf(item: Item, matching: ProductMatching): Record<string, string> | undefined {
  // `filter[name]` searches names and articles alike; the exact article is picked from the results.
  if (matching === 'article' && item.article) return { name: item.article };
  if (matching === 'external_id' && item.productSourceId) return { offerExternalId: item.productSourceId };
  return undefined;
}

const sameArticle = (a: string | null | undefined, b: string) => Boolean(a) && a!.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The offer (what an order item references) of the item's product among search results: by the offer's article,
 * else a product with that article and a single offer; by the offer's externalId. Undefined when nothing matches.
 */
export function matchOffer(products: RcProduct[], item: Item, matching: ProductMatching): RcOffer | undefined {
  const offers = products.flatMap((product) => product.offers);
  if (matching === 'article' && item.article) {
    const article = item.article;
    const byOffer = offers.find((offer) => sameArticle(offer.article, article));
    const byProduct = products.find((product) => sameArticle(product.article, article) && product.offers.length === 1);
    return byOffer ?? byProduct?.offers[0];
  }
  if (matching === 'external_id' && item.productSourceId) {
    return offers.find((offer) => offer.externalId === item.productSourceId);
  }
  return undefined;
}

/** A free-text item keeps the part's brand and article in its name, so the manager can still tell what it is. */
export function freeTextName(item: Item): string {
  const part = [item.brand, item.article].filter(Boolean).join(' ');
  return part && !item.name.includes(part) ? `${item.name} (${part})` : item.name;
}

/** An item that references its catalogue offer, or (unmatched) a free-text item: never dropped. */
function toItem(item: Item, offer: RcOffer | undefined): RcOrderInput {
  const sold = { quantity: item.quantity, initialPrice: item.unitPrice };
  return offer ? { offer: { id: offer.id }, ...sold } : { productName: freeTextName(item), ...sold };
}

function defined(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())));
}

/**
 * The `order` form field of /orders/create. `offers[i]` is the matched offer of `order.items[i]`. Without a status
 * (status sync ZZap -> RetailCRM off) RetailCRM gives the order its default one.
 */
export function toOrderBody(order: Order, options: { externalId: string; status?: string; offers: Array<RcOffer | undefined> }): RcOrderInput {
  const { customer } = order;
  return {
    externalId: options.externalId,
    ...(options.status ? { status: options.status } : {}),
    ...defined({
      // An order needs a contact name; a company buying without one is named by the company.
      firstName: customer.firstName ?? (customer.lastName ? undefined : customer.companyName),
      lastName: customer.lastName,
      email: customer.email,
      phone: customer.phone,
      customerComment: order.comment,
    }),
    items: order.items.map((item, index) => toItem(item, options.offers[index])),
  };
}
