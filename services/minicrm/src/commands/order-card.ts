import type { OrderStatus } from '@junction/contracts';
import type { MiniCrmClient } from '../client';
import type { MCommandContext } from '../context';
import { cardChanges, statusChangedAfter } from '../translate';

/**
 * Brings an order's card in the Order product to `wanted` (status, coupon codes), writing only what differs, so
 * repeating it is a no-op. With `sourceStateAt` (when the source's state that asks for this status was current), a
 * status MiniCRM changed later stays: an older state never undoes a newer change. Resolves with whether anything was
 * written. An unknown status is MiniCRM's 400.
 */
export async function syncOrderCard(
  client: MiniCrmClient,
  orderId: string,
  wanted: Record<string, string>,
  status: OrderStatus,
  sourceStateAt?: string,
): Promise<boolean> {
  const { ProjectId, Project: card } = await client.order(orderId);
  const changes = cardChanges(card, wanted, status);
  // The Order API shows the card without the time of its status: the card itself is read when a status would change.
  if (changes.StatusId !== undefined && sourceStateAt !== undefined) {
    const { StatusUpdatedAt } = await client.project(ProjectId);
    if (statusChangedAfter(StatusUpdatedAt, sourceStateAt)) delete changes.StatusId;
  }
  if (Object.keys(changes).length === 0) return false;
  await client.updateOrderCard(orderId, changes);
  return true;
}

/** The MiniCRM order written for an order's sourceKey; its upsert may still be on its way, so the command waits for it. */
export async function mappedOrderId(ctx: MCommandContext, sourceKey: string, orderNumber?: string): Promise<string> {
  const missing = `order ${orderNumber ?? sourceKey} is not in MiniCRM yet (its upsert may still be on its way)`;
  return (await ctx.idMap.require('order', sourceKey, missing)).externalId;
}
