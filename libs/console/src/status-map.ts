/** An order status of one system, as a connection test reports it and status maps store it. */
export interface Status {
  id: string;
  name: string;
}

/** A source status and the target status it is paired with. */
export interface StatusPair {
  source: Status;
  target: Status;
}

export type StatusRowProblem = 'unmapped' | 'duplicate' | 'unknown_target';

export interface StatusRow {
  source: Status;
  target?: Status;
  problems: StatusRowProblem[];
}

export interface StatusTable {
  /** One row per status the source's connection test reported, in its order. */
  rows: StatusRow[];
  /** Pairs whose source status the source no longer reports (renamed or removed in the shop): saving drops them. */
  stale: StatusPair[];
  unmapped: Status[];
  /** Under the 1:1 rule: target statuses no source status is paired with. */
  unusedTargets: Status[];
}

/**
 * The status-mapping table of an integration: every status the source reports with its partner, and what is
 * wrong with the map as the mapping service will judge it on save (a status without partner, a target status the
 * target no longer has, and under the 1:1 rule a target status paired twice).
 */
export function statusTable(options: {
  sourceStatuses: readonly Status[];
  targetStatuses: readonly Status[];
  pairs: readonly StatusPair[];
  oneToOne: boolean;
}): StatusTable {
  const { sourceStatuses, targetStatuses, pairs, oneToOne } = options;
  const targetIds = new Set(targetStatuses.map((status) => status.id));
  const sourceIds = new Set(sourceStatuses.map((status) => status.id));
  const targetUses = new Map<string, number>();
  for (const pair of pairs) {
    if (sourceIds.has(pair.source.id)) targetUses.set(pair.target.id, (targetUses.get(pair.target.id) ?? 0) + 1);
  }
  const rows = sourceStatuses.map((source): StatusRow => {
    const target = pairs.find((pair) => pair.source.id === source.id)?.target;
    const problems: StatusRowProblem[] = [];
    if (!target) problems.push('unmapped');
    else {
      if (targetStatuses.length > 0 && !targetIds.has(target.id)) problems.push('unknown_target');
      if (oneToOne && (targetUses.get(target.id) ?? 0) > 1) problems.push('duplicate');
    }
    return { source, target, problems };
  });
  return {
    rows,
    stale: pairs.filter((pair) => !sourceIds.has(pair.source.id)),
    unmapped: rows.filter((row) => !row.target).map((row) => row.source),
    unusedTargets: oneToOne ? targetStatuses.filter((status) => !targetUses.has(status.id)) : [],
  };
}

/** Sets (or with no target, clears) the partner of one source status. */
export function withPartner(pairs: readonly StatusPair[], source: Status, target: Status | undefined): StatusPair[] {
  const others = pairs.filter((pair) => pair.source.id !== source.id);
  return target ? [...others, { source, target }] : others;
}

/** Shoprenter -> MiniCRM stores its map as { shopStatusId: miniCrmStatus }; names come from the shop's catalog. */
export function pairsFromRecord(map: Record<string, Status>, sourceStatuses: readonly Status[]): StatusPair[] {
  return Object.entries(map).map(([id, target]) => ({
    source: sourceStatuses.find((status) => status.id === id) ?? { id, name: id },
    target,
  }));
}

export function recordFromPairs(pairs: readonly StatusPair[]): Record<string, Status> {
  return Object.fromEntries(pairs.map((pair) => [pair.source.id, pair.target]));
}

/** ZZap <-> RetailCRM stores its map as [{ retailcrm, zzap }]; the table's rows are ZZap's statuses. */
export function pairsFromZzapMap(map: ReadonlyArray<{ retailcrm: Status; zzap: Status }>): StatusPair[] {
  return map.map((pair) => ({ source: pair.zzap, target: pair.retailcrm }));
}

export function zzapMapFromPairs(pairs: readonly StatusPair[]): Array<{ retailcrm: Status; zzap: Status }> {
  return pairs.map((pair) => ({ retailcrm: pair.target, zzap: pair.source }));
}
