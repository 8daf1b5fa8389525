import type { CreatedRecord } from '@junction/connector-kit';
import type { BatchCommandHandler, EnsuredRecord } from '@junction/connector-runtime';
import { UPLOAD_LIMIT, type RetailCrmClient } from '../client';
import { clientFor, type RcCommandContext } from '../context';
import { externalIdOf } from '../order-body';
import type { RetailCrmCredentials, RetailCrmSettings } from '../settings';
import { destinationOf, followTargetStatus, OfferSearch, orderBodyOf, requireSite, type OrderUpsert } from './order-upsert';

/**
 * Creates orders with one `/orders/upload` and answers each by its source key. An order the answer does not list as
 * loaded was refused. If RetailCRM already has it under its externalId (unique per store: an upload whose answer was
 * lost, now repeated), one list call finds it. Any other is sent alone to `/orders/create`, whose answer is that
 * order's own (the upload's errors do not say which order each is about): created after all, or its own refusal.
 */
async function createOrders(client: RetailCrmClient, site: string, orders: OrderUpsert[], offers: OfferSearch): Promise<Map<string, CreatedRecord>> {
  const bodies = await Promise.all(orders.map((data) => orderBodyOf(data, offers)));
  const uploaded = await client.uploadOrders(site, bodies);
  const records = new Map<string, CreatedRecord>();
  const refused = orders.flatMap((data, index) => {
    const externalId = externalIdOf(data.sourceKey, data.order);
    const id = uploaded.get(externalId);
    if (id === undefined) return [{ sourceKey: data.sourceKey, externalId, body: bodies[index] }];
    records.set(data.sourceKey, { externalId: String(id), outcome: 'created' });
    return [];
  });
  if (refused.length === 0) return records;
  const existing = await client.orderIdsByExternalIds(site, refused.map((order) => order.externalId));
  await Promise.all(
    refused.map(async ({ sourceKey, externalId, body }) => {
      const id = existing.get(externalId);
      if (id !== undefined) {
        records.set(sourceKey, { externalId: String(id), outcome: 'found_existing' });
        return;
      }
      try {
        records.set(sourceKey, { externalId: String(await client.createOrder(site, body)), outcome: 'created' });
      } catch (error) {
        records.set(sourceKey, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  return records;
}

/** The orders of one store through the ID map: mapped ones as they are, the others created by `createOrders`. */
function ensureInSite(ctx: RcCommandContext, client: RetailCrmClient, site: string, orders: OrderUpsert[], offers: OfferSearch) {
  const bySourceKey = new Map(orders.map((data) => [data.sourceKey, data]));
  return ctx.idMap.ensureMany('order', [...bySourceKey.keys()], {
    createMany: async (sourceKeys) => {
      await requireSite(client, site);
      return createOrders(client, site, sourceKeys.map((sourceKey) => bySourceKey.get(sourceKey) as OrderUpsert), offers);
    },
  });
}

/**
 * `order.upsert` for the orders of one connection waiting together (a backfill): what a single upsert does, but new
 * orders go to RetailCRM up to 50 in one `/orders/upload` call (one per store) instead of one `/orders/create` each,
 * and the catalogue searches are shared by the whole batch. An order RetailCRM refuses fails alone.
 */
export const upsertOrderBatch: BatchCommandHandler<RetailCrmSettings, RetailCrmCredentials, OrderUpsert> = {
  maxBatch: UPLOAD_LIMIT,
  async handle(ctx, commands) {
    const client = clientFor(ctx);
    const offers = new OfferSearch(client);
    const sites = new Set(commands.flatMap(({ data }) => data.destination ?? []));
    const ensuredBySite = new Map<string, Promise<Map<string, EnsuredRecord | Error>>>();
    for (const site of sites) {
      const orders = commands.filter(({ data }) => data.destination === site).map(({ data }) => data);
      ensuredBySite.set(site, ensureInSite(ctx, client, site, orders, offers));
    }
    return Promise.allSettled(
      commands.map(async ({ data }) => {
        // Every store of the batch is in the map, and ensureMany answers every key it was given.
        const ensured = (await ensuredBySite.get(destinationOf(data)))!.get(data.sourceKey)!;
        if (ensured instanceof Error) throw ensured;
        return followTargetStatus(client, data, ensured);
      }),
    );
  },
};
