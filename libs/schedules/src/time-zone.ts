/**
 * IANA time-zone arithmetic on top of Intl (the ICU tz database Node ships with).
 * A "wall time" is a number: the milliseconds of a zone's calendar date and clock reading as if it were UTC,
 * so adding DAY always gives the same clock reading on the next calendar date.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The zone's canonical IANA name ('europe/budapest' → 'Europe/Budapest'); a RangeError for an unknown zone. */
export function canonicalTimeZone(timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
}

/** How far the zone's clock is ahead of UTC at an instant, in ms (Budapest in summer: 2 hours). */
export function utcOffsetAt(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** What the zone's clock reads at an instant, as a wall time. */
export function wallTimeAt(timeZone: string, instant: number): number {
  return instant + utcOffsetAt(timeZone, instant);
}

/** What the zone's clock reads at an instant, as `YYYY-MM-DDTHH:MM:SS`. */
export function wallClockText(timeZone: string, instant: number): string {
  return new Date(wallTimeAt(timeZone, instant)).toISOString().slice(0, 19);
}

/**
 * The instant the zone's clock reads a wall time. In the hour the clocks go back the wall time happens twice: the
 * later instant is taken. A wall time the spring jump skips is read as the instant one hour on.
 */
export function instantAtWallTime(timeZone: string, wall: number): number {
  // The offset at the wall time read as UTC may be across a clock change from the real instant: ask again there.
  const guess = wall - utcOffsetAt(timeZone, wall);
  return wall - utcOffsetAt(timeZone, guess);
}

/** Zone offsets range from -12 h to +14 h. */
export const MAX_OFFSET = 14 * HOUR;

/**
 * How a zone's clock relates to UTC over a stretch of wall time: offset `before` until the instant `changeAt`,
 * `after` from then on (equal when the clocks do not change).
 */
export interface ZoneClock {
  before: number;
  after: number;
  changeAt: number;
}

/** Recently asked clocks: the same days are asked about on every tick, and a change takes ~30 Intl calls to find. */
const clocks = new Map<string, ZoneClock>();
const CLOCK_CACHE_SIZE = 1000;

/**
 * The zone's clock over [wallFrom, wallTo], probed a day beyond each end so that every instant showing such a wall
 * time is covered. Assumes at most one change in that window (true of every zone: changes are months apart).
 */
export function zoneClock(timeZone: string, wallFrom: number, wallTo: number): ZoneClock {
  const key = `${timeZone} ${wallFrom} ${wallTo}`;
  let clock = clocks.get(key);
  if (!clock) {
    clock = findZoneClock(timeZone, wallFrom - DAY, wallTo + DAY);
    if (clocks.size >= CLOCK_CACHE_SIZE) clocks.delete(clocks.keys().next().value!);
    clocks.set(key, clock);
  }
  return clock;
}

function findZoneClock(timeZone: string, low: number, high: number): ZoneClock {
  const before = utcOffsetAt(timeZone, low);
  const after = utcOffsetAt(timeZone, high);
  if (before === after) return { before, after, changeAt: high };
  // Binary-search the first millisecond on the new offset.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (utcOffsetAt(timeZone, middle) === after) high = middle;
    else low = middle;
  }
  return { before, after, changeAt: high };
}

/**
 * Every instant at which the clock reads `wall`, earliest first: one on most days, two in an hour that repeats
 * when the clocks go back, none in an hour skipped when they go forward.
 */
export function instantsAtWallTime(clock: ZoneClock, wall: number): number[] {
  if (clock.before === clock.after) return [wall - clock.before];
  const instants: number[] = [];
  if (wall - clock.before < clock.changeAt) instants.push(wall - clock.before);
  if (wall - clock.after >= clock.changeAt) instants.push(wall - clock.after);
  return instants;
}
