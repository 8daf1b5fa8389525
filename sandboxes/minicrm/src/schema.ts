import type { MiniCrmData } from './data';
import type { Category, CategoryType, Status, System } from './records';

/**
 * Custom fields per kind of category, by API name → type. The Order card carries the coupon codes of the
 * webshop order (our guess at where the built-in integration puts them).
 */
export const CUSTOM_FIELDS: Record<CategoryType, Record<string, string>> = {
  Sales: {},
  Order: { Text1301: 'Text(512)' },
  Webshop: { DateTime1311: 'DateTime' },
};

export function categoryOf(data: MiniCrmData, system: System, id: unknown): Category | undefined {
  const category = data.categories.get(String(id));
  return category?.SystemId === system.Id ? category : undefined;
}

export function categoryOfType(data: MiniCrmData, system: System, type: CategoryType): Category | undefined {
  return data.categories.find((category) => category.SystemId === system.Id && category.Type === type);
}

export function statusesOf(data: MiniCrmData, category: Category): Status[] {
  return data.statuses.filter((status) => status.CategoryId === category.Id);
}

/** A status of the category given by id or by name: writes take either. */
export function statusOf(data: MiniCrmData, category: Category, value: unknown): Status | undefined {
  return statusesOf(data, category).find((status) => String(status.Id) === String(value) || status.Name === value);
}

/** `GET /Schema/Project/{CategoryId}`: standard fields, enum maps (StatusId is the category's status list), custom fields. */
export function projectSchema(data: MiniCrmData, system: System, category: Category) {
  const categories = data.categories.filter((candidate) => candidate.SystemId === system.Id);
  const users = data.users.filter((user) => user.SystemId === system.Id);
  return {
    Id: 'Int',
    CategoryId: Object.fromEntries(categories.map((candidate) => [String(candidate.Id), candidate.Name])),
    ContactId: 'Int',
    StatusId: Object.fromEntries(statusesOf(data, category).map((status) => [String(status.Id), status.Name])),
    UserId: Object.fromEntries(users.map((user) => [String(user.Id), user.Name])),
    Name: 'Text(512)',
    ReferenceId: 'Text(512)',
    StatusUpdatedAt: 'DateTime',
    Deleted: 'Int',
    CreatedBy: Object.fromEntries(users.map((user) => [String(user.Id), user.Name])),
    CreatedAt: 'DateTime',
    UpdatedAt: 'DateTime',
    ...CUSTOM_FIELDS[category.Type],
  };
}
