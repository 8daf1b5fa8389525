/**
 * Quote sync type 1 turns a won quote into one estimate per billing period (one-time, monthly, yearly...);
 * type 2 turns it into a single estimate. `part` names the estimate in its deterministic message id.
 */
export interface EstimatePart<T extends { billingPeriod: string }> {
  part: string;
  /** Set when the quote was split by billing period. */
  billingPeriod?: T['billingPeriod'];
  lineItems: T[];
}

const SINGLE_ESTIMATE_PART = 'single';

export function splitQuoteIntoEstimates<T extends { billingPeriod: string }>(
  lineItems: readonly T[],
  quoteSyncType1: boolean,
): EstimatePart<T>[] {
  if (lineItems.length === 0) return [];
  if (!quoteSyncType1) return [{ part: SINGLE_ESTIMATE_PART, lineItems: [...lineItems] }];
  const byPeriod = new Map<T['billingPeriod'], T[]>();
  for (const item of lineItems) {
    const group = byPeriod.get(item.billingPeriod) ?? [];
    group.push(item);
    byPeriod.set(item.billingPeriod, group);
  }
  // Map iteration keeps first-seen order, so estimates follow the quote's own line order.
  return [...byPeriod].map(([billingPeriod, items]) => ({ part: billingPeriod, billingPeriod, lineItems: items }));
}
