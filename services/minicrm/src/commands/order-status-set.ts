import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { clientFor, type MCommandContext } from '../context';
import { mappedOrderId, syncOrderCard } from './order-card';

/** Moves the order's card in the Order product to the mapped status; the status it already has changes nothing. */
export async function setOrderStatus(ctx: MCommandContext, data: CommandData<'order.status.set'>): Promise<CommandResult> {
  const orderId = data.targetOrderId ?? (await mappedOrderId(ctx, data.sourceKey, data.orderNumber));
  const changed = await syncOrderCard(clientFor(ctx), orderId, { StatusId: data.status.id }, data.status);
  return { entityType: 'order', externalId: orderId, outcome: changed ? 'updated' : 'unchanged' };
}
