/**
 * Zomentum product category -> RepairShopr inventory category. The defaults pair the categories both systems
 * ship with; users add their own pairs, and choose what happens to a category the map does not cover.
 */
export type CategoryMap = Record<string, string>;

export const DEFAULT_CATEGORY_MAP: CategoryMap = {
  Hardware: 'Hardware',
  Software: 'Default',
  Service: 'Labor',
  Labor: 'Labor',
};

/** RepairShopr's catch-all category, the default home of a Zomentum category nobody mapped. */
export const REPAIRSHOPR_FALLBACK_CATEGORY = 'Default';

export const UNMAPPED_CATEGORY_CHOICES = ['default', 'skip'] as const;

/** The integration's category settings. */
export interface CategoryRules {
  categoryMap: CategoryMap;
  /** A product of an unmapped category: synced under the default category, or not synced at all. */
  unmappedCategories: (typeof UNMAPPED_CATEGORY_CHOICES)[number];
  /** The RepairShopr category of unmapped Zomentum categories. */
  defaultCategory: string;
}

/** The RepairShopr category of a Zomentum product; undefined when the product is skipped. */
export function repairShoprCategoryFor(rules: CategoryRules, zomentumCategory: string): string | undefined {
  const mapped = rules.categoryMap[zomentumCategory];
  if (mapped !== undefined) return mapped;
  return rules.unmappedCategories === 'skip' ? undefined : rules.defaultCategory;
}

/**
 * The reverse direction for products pulled from RepairShopr: the first Zomentum category mapped to it; unmapped, the
 * RepairShopr name itself (a user-added category that Zomentum gets under the same name), or undefined when skipped.
 */
export function zomentumCategoryFor(rules: CategoryRules, repairShoprCategory: string): string | undefined {
  const mapped = Object.entries(rules.categoryMap).find(([, target]) => target === repairShoprCategory);
  if (mapped) return mapped[0];
  return rules.unmappedCategories === 'skip' ? undefined : repairShoprCategory;
}
