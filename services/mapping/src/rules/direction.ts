/**
 * Sync direction of a Zomentum <-> RepairShopr integration, named from Zomentum's point of view as in the
 * vendor's own settings screen: "pull" brings RepairShopr records into Zomentum, "push" sends won documents
 * (and their client, contacts, products) to RepairShopr.
 */
export const SYNC_DIRECTIONS = ['pull_only', 'push_only', 'two_way'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export function allowsPull(direction: SyncDirection): boolean {
  return direction !== 'push_only';
}

export function allowsPush(direction: SyncDirection): boolean {
  return direction !== 'pull_only';
}
