/** Records as the API shows them: the account scope is the sandbox's own bookkeeping. */
export function shown<T extends { account_id: string }>(record: T): Omit<T, 'account_id'> {
  const { account_id: _account, ...rest } = record;
  return rest;
}

export const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
