import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import type { MiniCrmClient } from '../client';
import { clientFor, type MCommandContext } from '../context';
import { integrationProducts } from '../products';
import { cardFields, orderBody, orderReference } from '../translate';
import { ensureBuyer } from './buyer';
import { syncOrderCard } from './order-card';

/**
 * The order created before under `reference`: its card in the Order product carries the reference, and the card
 * leads to its order. Only the Order product is searched.
 */
async function findOrder(client: MiniCrmClient, orderCategoryId: string, reference: string): Promise<string | undefined> {
  const [cardId] = await client.projectIds({ CategoryId: orderCategoryId, ReferenceId: reference });
  if (cardId === undefined) return undefined;
  const card = await client.project(cardId);
  if (card.OrderId === undefined) {
    throw new PermanentError(`MiniCRM card ${cardId} carries the order reference ${reference} but shows no order`);
  }
  return card.OrderId;
}

/**
 * Buyer (contact + Webshop data sheet), then the order through the Order API with its card's status and coupon
 * codes. An order written before is brought up to date: its coupon codes, and its status unless MiniCRM changed the
 * status after the source order last changed (`order.updatedAt`): a creation announced again late must not undo what
 * happened in MiniCRM meanwhile. Returns the order's id.
 */
export async function upsertOrder(ctx: MCommandContext, data: CommandData<'order.upsert'>): Promise<CommandResult> {
  const { order, targetStatus } = data;
  if (!targetStatus) {
    throw new PermanentError(
      `order ${order.number} has the status "${order.status.name}", which the integration's status map does not pair with a MiniCRM order status: map it, then replay`,
    );
  }
  const client = clientFor(ctx);
  const products = integrationProducts(ctx, client);
  const customerId = await ensureBuyer(ctx, client, products, order.customer, data.sourceKey);
  const card = { status: targetStatus, couponCodesField: ctx.connection.settings.couponCodesField };
  const reference = orderReference(data.sourceKey);
  const ensured = await ctx.idMap.ensure('order', data.sourceKey, {
    lookupExisting: async () => findOrder(client, (await products()).order.Id, reference),
    create: () => client.createOrder(orderBody(order, customerId, reference, card)),
  });
  if (ensured.outcome === 'created') return { entityType: 'order', ...ensured };
  const changed = await syncOrderCard(client, ensured.externalId, cardFields(order, card), targetStatus, order.updatedAt);
  return { entityType: 'order', externalId: ensured.externalId, outcome: changed ? 'updated' : ensured.outcome };
}
