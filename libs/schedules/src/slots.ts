import { CronPattern, matchesDate, parseCron } from './cron-expression';
import {
  canonicalTimeZone,
  DAY,
  HOUR,
  instantsAtWallTime,
  MAX_OFFSET,
  MINUTE,
  wallTimeAt,
  ZoneClock,
  zoneClock,
} from './time-zone';

/**
 * When a schedule runs. Its runs are "slots": instants that depend only on the timing, never on when the
 * scheduler happened to look, so every replica and every restart agrees on them.
 * - interval: every `everyMinutes` minutes counted from 1970-01-01T00:00Z (every 60 is on the full UTC hour).
 * - cron: a 5-field expression read on the wall clock of an IANA time zone (see CronPattern for DST).
 */
export type ScheduleTiming =
  | { kind: 'interval'; everyMinutes: number }
  | { kind: 'cron'; cron: string; timeZone: string };

/** A timing and the instant it took effect: slots before that instant never fire. */
export type Schedule = ScheduleTiming & { effectiveFrom: Date };

export class InvalidTimingError extends Error {
  override name = 'InvalidTimingError';
}

/** Checks a timing and returns it canonical (zone name as IANA spells it); throws InvalidTimingError. */
export function validateTiming(timing: ScheduleTiming): ScheduleTiming {
  if (timing.kind === 'interval') {
    if (!Number.isInteger(timing.everyMinutes) || timing.everyMinutes < 1) {
      throw new InvalidTimingError(`everyMinutes must be a positive whole number, got ${timing.everyMinutes}`);
    }
    return { kind: 'interval', everyMinutes: timing.everyMinutes };
  }
  let timeZone: string;
  try {
    timeZone = canonicalTimeZone(timing.timeZone);
  } catch {
    throw new InvalidTimingError(`unknown time zone '${timing.timeZone}'`);
  }
  try {
    parseCron(timing.cron);
  } catch (error) {
    throw new InvalidTimingError((error as Error).message);
  }
  return { kind: 'cron', cron: timing.cron.trim().replace(/\s+/g, ' '), timeZone };
}

export function sameTiming(a: ScheduleTiming, b: ScheduleTiming): boolean {
  if (a.kind === 'interval') return b.kind === 'interval' && a.everyMinutes === b.everyMinutes;
  return b.kind === 'cron' && a.cron === b.cron && a.timeZone === b.timeZone;
}

/**
 * The slot to fire now: the latest slot <= now that is after lastFiredSlot and not before the schedule took
 * effect, or undefined. After downtime this is only the latest missed slot, so a missed run fires once.
 */
export function dueSlot(schedule: Schedule, lastFiredSlot: Date | undefined, now: Date): Date | undefined {
  const slot = latestSlotBetween(schedule, earliestEligible(schedule, lastFiredSlot), now.getTime());
  return slot === undefined ? undefined : new Date(slot);
}

/** The first slot strictly after t. */
export function nextSlotAfter(timing: ScheduleTiming, t: Date): Date {
  if (timing.kind === 'interval') {
    const every = timing.everyMinutes * MINUTE;
    return new Date(Math.floor(t.getTime() / every) * every + every);
  }
  return new Date(cronSlotAfter(parseCron(timing.cron), timing.timeZone, t.getTime()));
}

/** When dueSlot will next return a slot: the first slot that is still eligible to fire. */
export function nextRunAt(schedule: Schedule, lastFiredSlot: Date | undefined): Date {
  return nextSlotAfter(schedule, new Date(earliestEligible(schedule, lastFiredSlot) - 1));
}

function earliestEligible(schedule: Schedule, lastFiredSlot: Date | undefined): number {
  const effectiveFrom = schedule.effectiveFrom.getTime();
  // Instants are whole milliseconds, so "after lastFiredSlot" is ">= lastFiredSlot + 1 ms".
  return lastFiredSlot ? Math.max(effectiveFrom, lastFiredSlot.getTime() + 1) : effectiveFrom;
}

function latestSlotBetween(timing: ScheduleTiming, from: number, to: number): number | undefined {
  if (to < from) return undefined;
  if (timing.kind === 'interval') {
    const every = timing.everyMinutes * MINUTE;
    const slot = Math.floor(to / every) * every;
    return slot >= from ? slot : undefined;
  }
  return cronSlotBetween(parseCron(timing.cron), timing.timeZone, from, to);
}

/** `0 0 29 2 *` can wait 8 years (2096 to 2104); parseCron has already rejected dates that never come. */
const SEARCH_LIMIT = 9 * 366 * DAY;

// A calendar day's slots lie within MAX_OFFSET of its wall times (a skipped time moves to the jump, which is
// never later than the wall time read on the old offset), so a search stops once a day is that far past its best.

function cronSlotAfter(pattern: CronPattern, timeZone: string, after: number): number {
  const firstDay = calendarDayOf(timeZone, after) - DAY;
  let best: number | undefined;
  for (let day = firstDay; day <= firstDay + SEARCH_LIMIT; day += DAY) {
    if (best !== undefined && day - MAX_OFFSET > best) return best;
    for (const slot of slotsOnDay(pattern, timeZone, day)) {
      if (slot > after && (best === undefined || slot < best)) best = slot;
    }
  }
  if (best === undefined) throw new InvalidTimingError('cron expression has no run in the next 9 years');
  return best;
}

function cronSlotBetween(pattern: CronPattern, timeZone: string, from: number, to: number): number | undefined {
  const lastDay = calendarDayOf(timeZone, to) + DAY;
  const firstDay = calendarDayOf(timeZone, from) - DAY;
  let best: number | undefined;
  for (let day = lastDay; day >= firstDay; day -= DAY) {
    if (best !== undefined && day + DAY + MAX_OFFSET < best) return best;
    for (const slot of slotsOnDay(pattern, timeZone, day)) {
      if (slot >= from && slot <= to && (best === undefined || slot > best)) best = slot;
    }
  }
  return best;
}

/** Midnight (as wall time) of the zone's calendar date at an instant. */
function calendarDayOf(timeZone: string, instant: number): number {
  return Math.floor(wallTimeAt(timeZone, instant) / DAY) * DAY;
}

/** The instants a cron pattern runs at on one calendar day of the zone, ascending. */
function slotsOnDay(pattern: CronPattern, timeZone: string, day: number): number[] {
  const date = new Date(day);
  if (!matchesDate(pattern, date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay())) return [];
  const clock = zoneClock(timeZone, day, day + DAY);
  const slots = new Set<number>();
  for (const hour of pattern.hours) {
    for (const minute of pattern.minutes) {
      for (const slot of slotsAtWallTime(pattern, clock, day + hour * HOUR + minute * MINUTE)) slots.add(slot);
    }
  }
  return [...slots].sort((a, b) => a - b);
}

/** cronie's rules for the days the clocks change (see CronPattern.wildcard). */
function slotsAtWallTime(pattern: CronPattern, clock: ZoneClock, wall: number): number[] {
  const instants = instantsAtWallTime(clock, wall);
  if (instants.length === 0) return pattern.wildcard ? [] : [clock.changeAt];
  return pattern.wildcard ? instants : instants.slice(0, 1);
}
