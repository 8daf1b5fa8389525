/**
 * The ZZap <-> RetailCRM status map: pairs of a RetailCRM status and a ZZap status, strictly 1 to 1 so a change on
 * either side has exactly one meaning on the other. Statuses are compared by id.
 */
export interface StatusPair<S extends { id: string } = { id: string }> {
  retailcrm: S;
  zzap: S;
}

export interface StatusMapDuplicates {
  retailcrm: string[];
  zzap: string[];
}

function duplicatesOf(ids: string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  return [...duplicates];
}

export function findStatusMapDuplicates(pairs: readonly StatusPair[]): StatusMapDuplicates {
  return {
    retailcrm: duplicatesOf(pairs.map((pair) => pair.retailcrm.id)),
    zzap: duplicatesOf(pairs.map((pair) => pair.zzap.id)),
  };
}

/** A message naming every status used more than once, or undefined when the map is 1 to 1. */
export function describeStatusMapDuplicates(pairs: readonly StatusPair[]): string | undefined {
  const duplicates = findStatusMapDuplicates(pairs);
  const problems: string[] = [];
  if (duplicates.retailcrm.length > 0) problems.push(`RetailCRM status ${duplicates.retailcrm.map(quote).join(', ')}`);
  if (duplicates.zzap.length > 0) problems.push(`ZZap status ${duplicates.zzap.map(quote).join(', ')}`);
  if (problems.length === 0) return undefined;
  return `status map must be 1 to 1; mapped more than once: ${problems.join('; ')}`;
}

function quote(value: string): string {
  return `'${value}'`;
}

export function zzapStatusFor<S extends { id: string }>(
  pairs: readonly StatusPair<S>[],
  retailcrmStatusId: string,
): S | undefined {
  return pairs.find((pair) => pair.retailcrm.id === retailcrmStatusId)?.zzap;
}

export function retailcrmStatusFor<S extends { id: string }>(
  pairs: readonly StatusPair<S>[],
  zzapStatusId: string,
): S | undefined {
  return pairs.find((pair) => pair.zzap.id === zzapStatusId)?.retailcrm;
}

/** Why a Shoprenter order (or change) waits: its status has no MiniCRM partner yet. */
export function unmappedShopStatus(what: string, status: { id: string; name: string }): string {
  return (
    `${what} waits: Shoprenter status '${status.name}' (${status.id}) has no MiniCRM status; ` +
    'map it and save the integration to sync it'
  );
}
