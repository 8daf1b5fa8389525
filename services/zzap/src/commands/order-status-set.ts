import type { CommandData, CommandResult } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import { ZzapRefusedError } from '../client';
import { clientFor, ORDER_STATUS, type ZzapCommandContext } from '../context';

/**
 * Sets a ZZap order's status (targetOrderId is its code_order, status.id a code_track). A status the order is already
 * seen with is not sent again; one that is sent is recorded as seen, so the next pull does not publish Junction's own
 * change back as the buyer's or seller's.
 */
export async function setOrderStatus(ctx: ZzapCommandContext, data: CommandData<'order.status.set'>): Promise<CommandResult> {
  const codeOrder = data.targetOrderId;
  const { status } = data;
  if (!codeOrder || !/^\d+$/.test(codeOrder)) {
    throw new PermanentError(`${data.sourceKey} names no ZZap order (targetOrderId "${codeOrder ?? ''}"): only orders that came from ZZap can be changed there`);
  }
  if (!/^\d+$/.test(status.id)) throw new PermanentError(`"${status.id}" (${status.name}) is not a ZZap status code`);
  const written = { entityType: 'order', externalId: codeOrder };
  const seen = await ctx.observations.get(ORDER_STATUS, codeOrder);
  if (seen === status.id) return { ...written, outcome: 'unchanged' };
  try {
    await clientFor(ctx).setOrderStatus(codeOrder, status.id);
  } catch (error) {
    if (!(error instanceof ZzapRefusedError)) throw error;
    throw new PermanentError(`ZZap refused status ${status.id} (${status.name}) for order ${codeOrder}: ${error.refusal}`, { cause: error });
  }
  // An order this connection never pulled stays unseen: its first pull publishes it whole, with this status.
  if (seen !== undefined) await ctx.observations.set(ORDER_STATUS, codeOrder, status.id);
  return { ...written, outcome: 'updated' };
}
