import type { PullStream, StreamPage } from '@junction/connector-runtime';
import type { RetailCrmClient } from '../client';
import { clientFor } from '../context';
import type { RetailCrmCredentials, RetailCrmSettings } from '../settings';
import { statusRecords } from '../status-change';

/**
 * The id of the last history entry whose page was published. RetailCRM numbers history entries in ascending order
 * and `filter[sinceId]` lists those after an id, so a run resumes exactly there: nothing missed, nothing twice.
 */
export interface HistoryCursor {
  sinceId: number;
}

/** The newest history entry's id (0 for an empty history): the last entry of the last page. */
async function endOfHistory(client: RetailCrmClient): Promise<number> {
  const first = await client.history({});
  const last = first.totalPageCount > 1 ? await client.history({ page: first.totalPageCount }) : first;
  return (last.items.at(-1) ?? first.items.at(-1))?.id ?? 0;
}

async function* readHistory(client: RetailCrmClient, cursor: HistoryCursor | undefined): AsyncIterable<StreamPage<HistoryCursor>> {
  // First run: start at the current end. A big account's years of history would flood the integration with old
  // changes of orders it never linked; changes from this moment on are all read.
  if (!cursor) {
    yield { records: [], cursor: { sinceId: await endOfHistory(client) } };
    return;
  }
  const [statuses, timeZone] = await Promise.all([client.statuses(), client.timeZone()]);
  const names = new Map(statuses.map((status) => [status.code, status.name]));
  let sinceId = cursor.sinceId;
  for (;;) {
    const page = await client.history({ sinceId });
    const last = page.items.at(-1);
    if (!last) return;
    // The cursor passes every entry of the page, status or not.
    sinceId = last.id;
    yield { ...statusRecords(page.items, names, timeZone), cursor: { sinceId } };
    if (page.totalPageCount <= 1) return;
  }
}

/** `order.status.changed` for every status entry of RetailCRM's order history, with who made the change. */
export const orderHistoryStream: PullStream<RetailCrmSettings, RetailCrmCredentials, HistoryCursor> = {
  entityType: 'order',
  eventSubject: 'order.status.changed',
  read: (ctx, cursor) => readHistory(clientFor(ctx), cursor),
};
