import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import { clientFor, mappedOrderId, type RcCommandContext } from '../context';
import { applyStatus } from './apply-status';

type OrderStatusSet = CommandData<'order.status.set'>;

/** The RetailCRM order: the one mapping names, else the one `order.upsert` created for the source order. */
async function orderIdOf(ctx: RcCommandContext, data: OrderStatusSet): Promise<number> {
  if (data.targetOrderId === undefined) return mappedOrderId(ctx, data.sourceKey);
  const id = Number(data.targetOrderId);
  if (!Number.isSafeInteger(id)) throw new PermanentError(`'${data.targetOrderId}' is not a RetailCRM order id`);
  return id;
}

/** Our write shows in the order's history as `source: api` with `apiKey.current`, which the history pull tags junction. */
export async function setOrderStatus(ctx: RcCommandContext, data: OrderStatusSet): Promise<CommandResult> {
  const orderId = await orderIdOf(ctx, data);
  const updated = await applyStatus(clientFor(ctx), orderId, data.status.id);
  return { entityType: 'order', externalId: String(orderId), outcome: updated ? 'updated' : 'unchanged' };
}
