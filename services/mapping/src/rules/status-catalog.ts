/**
 * Checks a status map against the statuses a connection test fetched from the vendor, so a map that names a
 * status the shop no longer has (or misses a new one) is refused when it is saved, not discovered on an order.
 */
export interface CatalogStatus {
  id: string;
  name: string;
}

/** The ids in `usedIds` that the vendor does not have. */
export function unknownStatusIds(catalog: readonly CatalogStatus[], usedIds: readonly string[]): string[] {
  const known = new Set(catalog.map((status) => status.id));
  return [...new Set(usedIds.filter((id) => !known.has(id)))];
}

/** The vendor's statuses that `mappedIds` leaves out. */
export function unmappedStatuses(catalog: readonly CatalogStatus[], mappedIds: readonly string[]): CatalogStatus[] {
  const mapped = new Set(mappedIds);
  return catalog.filter((status) => !mapped.has(status.id));
}

export function describeStatuses(statuses: readonly CatalogStatus[]): string {
  return statuses.map((status) => `'${status.name}' (${status.id})`).join(', ');
}
