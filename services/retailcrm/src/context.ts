import type { CommandContext, ConnectorContext } from '@junction/connector-runtime';
import { RetailCrmClient, type RcCredentials } from './client';
import type { RetailCrmCredentials, RetailCrmSettings } from './settings';

export type RcContext = ConnectorContext<RetailCrmSettings, RetailCrmCredentials>;
export type RcCommandContext = CommandContext<RetailCrmSettings, RetailCrmCredentials>;

export function clientFor(ctx: RcContext): RetailCrmClient {
  return new RetailCrmClient(ctx.connection.settings, ctx.credentials);
}

/** The sites (stores) a key reaches: `/api/credentials` lists them; accounts that do not are asked for the list. */
export async function reachableSites(client: RetailCrmClient, credentials: RcCredentials): Promise<string[]> {
  return credentials.sitesAvailable ?? client.siteCodes();
}

/**
 * The RetailCRM id of the order an `order.upsert` created for this source order. The status change may arrive
 * before the order itself (they travel separately): it waits for the order rather than fail.
 */
export async function mappedOrderId(ctx: RcCommandContext, sourceKey: string): Promise<number> {
  const entry = await ctx.idMap.require('order', sourceKey, `order ${sourceKey} is not in RetailCRM yet`);
  return Number(entry.externalId);
}
