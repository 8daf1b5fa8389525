import type { EventData, FailedRecord, PulledRecord } from '@junction/connector-runtime';
import type { RcHistoryEntry } from './client';
import { accountTimeToIso } from './account-time';
import { originOf } from './order-body';

type StatusChange = EventData<'order.status.changed'>;

/** Status names by code (GET /reference/statuses), read once per run. */
export type StatusNames = ReadonlyMap<string, string>;

/** History shows a status as `{ code }` (null before the order's first status). */
export function statusCodeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code } = value as { code?: unknown };
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * Who made a change. `apiKey.current` is true when the key reading the history made it: Junction's own write, which
 * mapping never echoes back. Another key is another integration (website, warehouse system); `rule`, `code`, `auto`
 * and the other sources are RetailCRM's own automation.
 */
export function changedByOf(entry: Pick<RcHistoryEntry, 'source' | 'apiKey'>): StatusChange['changedBy'] {
  if (entry.source === 'api') return { kind: entry.apiKey?.current ? 'junction' : 'api_client' };
  if (entry.source === 'user') return { kind: 'user' };
  return { kind: 'system' };
}

/** A history entry of the `status` field as the canonical change, or why it cannot be one. */
export function toStatusChange(entry: RcHistoryEntry, names: StatusNames, timeZone: string): StatusChange | string {
  const to = statusCodeOf(entry.newValue);
  if (!entry.order) return `history entry ${entry.id} names no order`;
  if (!to) return `history entry ${entry.id} of order ${entry.order.id} has no new status code`;
  const from = statusCodeOf(entry.oldValue);
  const origin = originOf(entry.order.externalId);
  const status = (code: string) => ({ id: code, name: names.get(code) || code });
  return {
    orderSourceId: String(entry.order.id),
    ...(entry.order.number ? { orderNumber: entry.order.number } : {}),
    changeSourceId: String(entry.id),
    // The order Junction created this one from (its externalId): mapping waits for that link instead of dropping the change.
    ...(origin ? { orderOrigin: origin } : {}),
    ...(from ? { from: status(from) } : {}),
    to: status(to),
    changedAt: accountTimeToIso(entry.createdAt, timeZone),
    changedBy: changedByOf(entry),
  };
}

/**
 * One record per status entry of a history page (the order's creation included: its first status, without `from`),
 * keyed by the RetailCRM order id and told apart by the entry id; entries of other fields are skipped.
 */
export function statusRecords(
  entries: RcHistoryEntry[],
  names: StatusNames,
  timeZone: string,
): { records: PulledRecord[]; failed: FailedRecord[] } {
  const records: PulledRecord[] = [];
  const failed: FailedRecord[] = [];
  for (const entry of entries.filter((candidate) => candidate.field === 'status')) {
    let change: StatusChange | string;
    try {
      change = toStatusChange(entry, names, timeZone);
    } catch (error) {
      change = error instanceof Error ? error.message : String(error);
    }
    if (typeof change === 'string') {
      failed.push({ key: entry.order ? String(entry.order.id) : `history-${entry.id}`, error: change });
      continue;
    }
    records.push({ key: change.orderSourceId, changeKey: String(entry.id), data: change, occurredAt: change.changedAt });
  }
  return { records, failed };
}
