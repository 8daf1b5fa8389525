/** The "conditions and filters" of a Zomentum <-> RepairShopr integration. */
export interface ContactFilter {
  contactSync: boolean;
  /** ISO date or date-time; only contacts created at or after it sync. */
  contactsCreatedAfter?: string;
}

export interface ProductFilter {
  productSync: boolean;
  /** Only products of these categories sync; empty or absent means every category. */
  productCategories?: string[];
}

export function contactPassesFilter(filter: ContactFilter, createdAt: string | undefined): boolean {
  if (!filter.contactSync) return false;
  if (filter.contactsCreatedAfter === undefined) return true;
  // A contact whose creation time is unknown cannot be shown to be recent enough.
  if (createdAt === undefined) return false;
  return Date.parse(createdAt) >= Date.parse(filter.contactsCreatedAfter);
}

export function productPassesFilter(filter: ProductFilter, category: string | undefined): boolean {
  if (!filter.productSync) return false;
  const categories = filter.productCategories ?? [];
  if (categories.length === 0) return true;
  if (category === undefined) return false;
  // Category names are typed by people in two systems; letter case is not a meaningful difference.
  const wanted = category.trim().toLowerCase();
  return categories.some((allowed) => allowed.trim().toLowerCase() === wanted);
}
