import { json, Router } from '@junction/sandbox-kit';
import { z } from 'zod';
import type { ZzapData } from './data';
import { trackName } from './records';
import { orderRow } from './routes';

const StatusChange = z.object({ code_track: z.number().int(), by: z.enum(['buyer', 'seller']) });

/**
 * `POST /__sandbox/orders/:code_order/status` changes a status as the buyer (e.g. cancels) or the seller in ZZap's
 * own cabinet would: `date_track` moves, so the next GetSellerOrdersV3 poll sees it.
 */
export const controlRoutes = new Router<ZzapData>().post('/__sandbox/orders/:code/status', (request, data) => {
  const change = StatusChange.parse(request.body);
  const order = data.orders.get(Number(request.params.code));
  if (!order) return json(404, { error: `No order ${request.params.code}` });
  if (!trackName(change.code_track)) return json(400, { error: `No status ${change.code_track}` });
  const updated = data.orders.update(order.code_order, { code_track: change.code_track, changed_by: change.by });
  return json(200, { order: updated && orderRow(updated) });
});
