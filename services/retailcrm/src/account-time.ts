/**
 * RetailCRM shows DateTimes as `Y-m-d H:i:s` without an offset, in the account's time zone (GET /settings). Zone
 * offsets come from Intl (the tz database Node ships with).
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    const numeric = 'numeric' as const;
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: numeric,
      month: numeric,
      day: numeric,
      hour: numeric,
      minute: numeric,
      second: numeric,
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** How far the zone's clock is ahead of UTC at an instant, in ms (Moscow: 3 hours). */
function utcOffsetAt(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** An account-local RetailCRM DateTime as an ISO 8601 instant in UTC. */
export function accountTimeToIso(value: string, timeZone: string): string {
  const match = DATE_TIME.exec(value.trim());
  if (!match) throw new Error(`'${value}' is not a RetailCRM DateTime (Y-m-d H:i:s)`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // The offset at the wall time read as UTC may be across a clock change from the real instant: ask again there.
  const guess = wall - utcOffsetAt(timeZone, wall);
  return new Date(wall - utcOffsetAt(timeZone, guess)).toISOString();
}
