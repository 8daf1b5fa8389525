import type { CommandData, CommandResult, EnsuredRecord } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import type { RcOffer, RcOrderInput, RetailCrmClient } from '../client';
import { clientFor, reachableSites, type RcCommandContext } from '../context';
import { externalIdOf, matchOffer, productFilterOf, toOrderBody, type ProductMatching } from '../order-body';
import { applyStatus } from './apply-status';

export type OrderUpsert = CommandData<'order.upsert'>;
type Item = OrderUpsert['order']['items'][number];

/** The store an upsert writes to; required, since RetailCRM would take an order without one to its default store. */
export function destinationOf(data: OrderUpsert): string {
  if (!data.destination) throw new PermanentError('order.upsert needs a destination: the code of the RetailCRM store the order goes to');
  return data.destination;
}

/** A site the key does not reach would only fail later with a vaguer message; name it and what the key reaches. */
export async function requireSite(client: RetailCrmClient, site: string): Promise<void> {
  const sites = await reachableSites(client, await client.credentials());
  if (!sites.includes(site)) {
    throw new PermanentError(`RetailCRM has no store "${site}" that this API key reaches (it reaches: ${sites.join(', ') || 'none'})`);
  }
}

/** The catalogue offers of order items; items asking the same search share it, across the orders of a batch too. */
export class OfferSearch {
  private readonly searches = new Map<string, Promise<RcOffer | undefined>>();

  constructor(private readonly client: RetailCrmClient) {}

  /** The offer of each item (undefined: a free-text item). */
  offersOf(items: Item[], matching: ProductMatching): Promise<Array<RcOffer | undefined>> {
    return Promise.all(
      items.map((item) => {
        const filter = productFilterOf(item, matching);
        if (!filter) return undefined;
        // The filter holds what matchOffer compares (the article, or the offer's external id).
        const key = JSON.stringify(filter);
        if (!this.searches.has(key)) this.searches.set(key, this.find(item, filter, matching));
        return this.searches.get(key);
      }),
    );
  }

  private async find(item: Item, filter: Record<string, string>, matching: ProductMatching): Promise<RcOffer | undefined> {
    for (let page = 1; ; page++) {
      const { items: products, totalPageCount } = await this.client.products(filter, page);
      const offer = matchOffer(products, item, matching);
      if (offer || page >= totalPageCount) return offer;
    }
  }
}

/** The `order` a create or an upload sends: the source order with its items matched to the catalogue. */
export async function orderBodyOf(data: OrderUpsert, offers: OfferSearch): Promise<RcOrderInput> {
  const externalId = externalIdOf(data.sourceKey, data.order);
  return toOrderBody(data.order, { externalId, status: data.targetStatus?.id, offers: await offers.offersOf(data.order.items, data.productMatching) });
}

/**
 * The upsert's result once its order is in RetailCRM. An order already there only follows `targetStatus` when it
 * differs and RetailCRM has not changed its status since the source order last changed (`order.updatedAt`): a
 * creation announced again late must not undo what a CRM user did meanwhile. Nothing else of it is changed.
 */
export async function followTargetStatus(client: RetailCrmClient, data: OrderUpsert, ensured: EnsuredRecord): Promise<CommandResult> {
  const status = data.targetStatus?.id;
  if (ensured.outcome === 'created' || status === undefined) return { entityType: 'order', ...ensured };
  const updated = await applyStatus(client, Number(ensured.externalId), status, data.order.updatedAt);
  return { entityType: 'order', externalId: ensured.externalId, outcome: updated ? 'updated' : ensured.outcome };
}

/** Creates the order in the destination site once (ID map, else the order with its externalId, else create). */
export async function upsertOrder(ctx: RcCommandContext, data: OrderUpsert): Promise<CommandResult> {
  const client = clientFor(ctx);
  const site = destinationOf(data);
  const ensured = await ctx.idMap.ensure('order', data.sourceKey, {
    lookupExisting: async () => {
      await requireSite(client, site);
      const existing = await client.orderByExternalId(externalIdOf(data.sourceKey, data.order), site);
      return existing && String(existing.id);
    },
    create: async () => String(await client.createOrder(site, await orderBodyOf(data, new OfferSearch(client)))),
  });
  return followTargetStatus(client, data, ensured);
}
