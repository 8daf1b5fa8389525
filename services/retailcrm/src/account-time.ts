import { instantAtWallTime } from '@junction/schedules';

/**
 * RetailCRM shows DateTimes as `Y-m-d H:i:s` without an offset, in the account's time zone (GET /settings).
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** An account-local RetailCRM DateTime as an ISO 8601 instant in UTC. */
export function accountTimeToIso(value: string, timeZone: string): string {
  const match = DATE_TIME.exec(value.trim());
  if (!match) throw new Error(`'${value}' is not a RetailCRM DateTime (Y-m-d H:i:s)`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  return new Date(instantAtWallTime(timeZone, Date.UTC(year, month - 1, day, hour, minute, second))).toISOString();
}
