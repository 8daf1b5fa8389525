/** Drops null, undefined and blank values: canonical records leave unknown fields out instead of sending ''. */
export function definedFields<T extends Record<string, string | null | undefined>>(
  fields: T,
): { [K in keyof T]?: string } {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''),
  ) as { [K in keyof T]?: string };
}

/** RepairShopr keeps a contact's name in one field; the first word is the first name. */
export function splitName(name: string | null | undefined): { firstName?: string; lastName?: string } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  return definedFields({ firstName: words[0], lastName: words.slice(1).join(' ') });
}
