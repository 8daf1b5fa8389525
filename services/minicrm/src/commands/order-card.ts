import type { OrderStatus } from '@junction/contracts';
import { RetryableError } from '@junction/messaging';
import type { MiniCrmClient } from '../client';
import type { MCommandContext } from '../context';
import { cardChanges } from '../translate';

/**
 * Brings an order's card in the Order product to `wanted` (status, coupon codes), writing only what differs, so
 * repeating it is a no-op. Resolves with whether anything was written. An unknown status is MiniCRM's 400.
 */
export async function syncOrderCard(client: MiniCrmClient, orderId: string, wanted: Record<string, string>, status: OrderStatus): Promise<boolean> {
  const { Project: card } = await client.order(orderId);
  const changes = cardChanges(card, wanted, status);
  if (Object.keys(changes).length === 0) return false;
  await client.updateOrderCard(orderId, changes);
  return true;
}

/** The MiniCRM order written for an order's sourceKey; its upsert may still be on its way, so retry later. */
export async function mappedOrderId(ctx: MCommandContext, sourceKey: string, orderNumber?: string): Promise<string> {
  const entry = await ctx.idMap.find('order', sourceKey);
  if (!entry) {
    throw new RetryableError(`order ${orderNumber ?? sourceKey} is not in MiniCRM yet (its upsert may still be on its way)`, {
      retryAfterMs: 5_000,
    });
  }
  return entry.externalId;
}
