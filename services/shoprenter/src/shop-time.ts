import { instantAtWallTime, utcOffsetAt, wallClockText } from '@junction/schedules';

/**
 * Shoprenter writes shop-local time without a zone (`2019-09-06T15:47:59`, on some resources `2019-09-06 15:47:59`),
 * and its datetime filters take the same form. Shops are Hungarian: the zone is Europe/Budapest.
 */
export const SHOP_TIME_ZONE = 'Europe/Budapest';

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$/;

/** The shop's wall clock at an instant, as `YYYY-MM-DDTHH:MM:SS`. */
export function shopTimeAt(instantMs: number): string {
  return wallClockText(SHOP_TIME_ZONE, instantMs);
}

/** Minutes the shop's zone is ahead of UTC at an instant (+60 in winter, +120 in summer). */
function offsetMinutesAt(instantMs: number): number {
  return utcOffsetAt(SHOP_TIME_ZONE, instantMs) / 60_000;
}

/** `T` form of a shop time (the filters want it), or undefined for anything else (zero dates `0000-00-00 …`). */
export function normalizeShopTime(value: string): string | undefined {
  const match = LOCAL_TIME.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const asUtc = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls over impossible dates (2019-02-30); a real calendar date round-trips unchanged.
  if (year < 1970 || asUtc.getUTCMonth() !== month - 1 || asUtc.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}`;
}

/**
 * A shop time as ISO 8601 with its offset (`2024-07-01T10:00:00+02:00`). In the hour the clocks go back the wall
 * time happens twice; the later (winter) instant is taken. A time the spring jump skips is read as the instant
 * one hour on. Undefined when the value is not a date.
 */
export function shopTimeToIso(value: string): string | undefined {
  const local = normalizeShopTime(value);
  if (!local) return undefined;
  const [year, month, day, hour, minute, second] = LOCAL_TIME.exec(local)!.slice(1).map(Number);
  const instant = instantAtWallTime(SHOP_TIME_ZONE, Date.UTC(year, month - 1, day, hour, minute, second));
  return `${shopTimeAt(instant)}${formatOffset(offsetMinutesAt(instant))}`;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
}
