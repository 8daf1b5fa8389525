import type { RetailCrmClient } from '../client';

/**
 * Sets an order's status unless it already has it. Reading first keeps a repeated or echoed change from writing:
 * no write means no history entry, so nothing can ping-pong back. Resolves whether it wrote.
 */
export async function applyStatus(client: RetailCrmClient, orderId: number, status: string): Promise<boolean> {
  const order = await client.order(orderId);
  if (order.status === status) return false;
  await client.editOrder(order.id, order.site, { status });
  return true;
}
