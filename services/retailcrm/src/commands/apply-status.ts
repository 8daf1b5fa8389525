import { accountTimeToIso } from '../account-time';
import type { RetailCrmClient } from '../client';

/**
 * Sets an order's status unless it already has it. Reading first keeps a repeated or echoed change from writing:
 * no write means no history entry, so nothing can ping-pong back. With `sourceStateAt` (when the source's state that
 * asks for this status was current), a status RetailCRM changed later stays: an older state never undoes a newer
 * change. Resolves whether it wrote.
 */
export async function applyStatus(client: RetailCrmClient, orderId: number, status: string, sourceStateAt?: string): Promise<boolean> {
  const order = await client.order(orderId);
  if (order.status === status) return false;
  if (sourceStateAt !== undefined && order.statusUpdatedAt) {
    const changedInCrmAt = accountTimeToIso(order.statusUpdatedAt, await client.timeZone());
    if (Date.parse(changedInCrmAt) > Date.parse(sourceStateAt)) return false;
  }
  await client.editOrder(order.id, order.site, { status });
  return true;
}
