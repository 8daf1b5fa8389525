import { json, Router } from '@junction/sandbox-kit';
import { z } from 'zod';
import type { RetailCrmData } from './data';
import { changeOrder } from './orders';
import { STATUSES, type Author } from './records';

/** Who changes the status: a CRM user by id, or another API client by its key. */
const StatusChange = z.union([
  z.object({ status: z.string(), user: z.number().int() }).strict(),
  z.object({ status: z.string(), apiKey: z.string() }).strict(),
]);

/**
 * `POST /__sandbox/orders/:id/status` changes an order's status the way someone other than the connector would, so
 * its history record carries that author (`source: user` with `user.id`, or `source: api` with another key).
 */
export const controlRoutes = new Router<RetailCrmData>().post('/__sandbox/orders/:id/status', (request, data) => {
  const change = StatusChange.parse(request.body);
  const order = data.orders.get(Number(request.params.id));
  if (!order) return json(404, { error: `No order ${request.params.id}` });
  if (!STATUSES.some((status) => status.code === change.status)) return json(400, { error: `No status ${change.status}` });
  let author: Author;
  if ('user' in change) {
    if (!data.users.get(change.user)) return json(400, { error: `No user ${change.user}` });
    author = { source: 'user', userId: change.user };
  } else {
    const key = data.apiKeys.find((candidate) => candidate.key === change.apiKey);
    if (!key) return json(400, { error: 'No such API key' });
    author = { source: 'api', apiKeyId: key.id };
  }
  return json(200, { order: changeOrder(data, order, { status: change.status }, author) });
});
