/**
 * Zomentum product category -> RepairShopr inventory category. The defaults pair the categories both systems
 * ship with; users add their own pairs.
 */
export type CategoryMap = Record<string, string>;

export const DEFAULT_CATEGORY_MAP: CategoryMap = {
  Hardware: 'Hardware',
  Software: 'Default',
  Service: 'Labor',
  Labor: 'Labor',
};

/** RepairShopr's catch-all category, used for a Zomentum category nobody mapped. */
export const REPAIRSHOPR_FALLBACK_CATEGORY = 'Default';

export function repairShoprCategoryFor(map: CategoryMap, zomentumCategory: string): string {
  return map[zomentumCategory] ?? REPAIRSHOPR_FALLBACK_CATEGORY;
}

/**
 * The reverse direction for products pulled from RepairShopr: the first Zomentum category mapped to it, or the
 * RepairShopr name itself (a user-added category that Zomentum gets under the same name).
 */
export function zomentumCategoryFor(map: CategoryMap, repairShoprCategory: string): string {
  const mapped = Object.entries(map).find(([, target]) => target === repairShoprCategory);
  return mapped ? mapped[0] : repairShoprCategory;
}
