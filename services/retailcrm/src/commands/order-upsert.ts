import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import type { RcOffer, RetailCrmClient } from '../client';
import { clientFor, reachableSites, type RcCommandContext } from '../context';
import { externalIdOf, matchOffer, productFilterOf, toOrderBody, type ProductMatching } from '../order-body';
import { applyStatus } from './apply-status';

type OrderUpsert = CommandData<'order.upsert'>;
type Item = OrderUpsert['order']['items'][number];

/** A site the key does not reach would only fail later with a vaguer message; name it and what the key reaches. */
async function requireSite(client: RetailCrmClient, site: string): Promise<void> {
  const sites = await reachableSites(client, await client.credentials());
  if (!sites.includes(site)) {
    throw new PermanentError(`RetailCRM has no store "${site}" that this API key reaches (it reaches: ${sites.join(', ') || 'none'})`);
  }
}

/** The catalogue offer of each item (undefined: a free-text item); items asking the same search share it. */
async function matchItems(client: RetailCrmClient, items: Item[], matching: ProductMatching): Promise<Array<RcOffer | undefined>> {
  const searches = new Map<string, Promise<RcOffer | undefined>>();
  const find = async (item: Item, filter: Record<string, string>) => {
    for (let page = 1; ; page++) {
      const { items: products, totalPageCount } = await client.products(filter, page);
      const offer = matchOffer(products, item, matching);
      if (offer || page >= totalPageCount) return offer;
    }
  };
  return Promise.all(
    items.map((item) => {
      const filter = productFilterOf(item, matching);
      if (!filter) return undefined;
      const key = JSON.stringify(filter);
      if (!searches.has(key)) searches.set(key, find(item, filter));
      return searches.get(key);
    }),
  );
}

/**
 * Creates the order in the destination site once (ID map, else the order with its externalId, else create). An
 * order already there only follows `targetStatus` when it differs and RetailCRM has not changed its status since the
 * source order last changed (`order.updatedAt`): a creation announced again late must not undo what a CRM user did
 * meanwhile. Nothing else of it is changed.
 */
export async function upsertOrder(ctx: RcCommandContext, data: OrderUpsert): Promise<CommandResult> {
  const client = clientFor(ctx);
  const site = data.destination;
  if (!site) throw new PermanentError('order.upsert needs a destination: the code of the RetailCRM store the order goes to');
  const externalId = externalIdOf(data.sourceKey, data.order);
  const status = data.targetStatus?.id;
  const ensured = await ctx.idMap.ensure('order', data.sourceKey, {
    lookupExisting: async () => {
      await requireSite(client, site);
      const existing = await client.orderByExternalId(externalId, site);
      return existing && String(existing.id);
    },
    create: async () => {
      const offers = await matchItems(client, data.order.items, data.productMatching);
      return String(await client.createOrder(site, toOrderBody(data.order, { externalId, status, offers })));
    },
  });
  if (ensured.outcome === 'created' || status === undefined) return { entityType: 'order', ...ensured };
  const updated = await applyStatus(client, Number(ensured.externalId), status, data.order.updatedAt);
  return { entityType: 'order', externalId: ensured.externalId, outcome: updated ? 'updated' : ensured.outcome };
}
