/**
 * Standard 5-field cron (minute hour day-of-month month day-of-week) with Vixie cron's semantics.
 * Deliberately no extensions (seconds, L, W, #, H): an expression means the same here as in crontab(5).
 */
export interface CronPattern {
  /** Sorted, so a day's wall-clock times come out in order. */
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday; 7 is folded into 0. */
  daysOfWeek: ReadonlySet<number>;
  /** Vixie cron: when both day fields are restricted (neither starts with '*'), a day matching EITHER runs. */
  dayOfMonthStar: boolean;
  dayOfWeekStar: boolean;
  /**
   * cronie's "wildcard job" (minute or hour starts with '*'): it follows the wall clock through DST, running in
   * both passes of a repeated hour and not at all in a skipped one. Other (fixed-time) jobs run once in a
   * repeated hour and, when their time is skipped, at the moment the clock jumps.
   */
  wildcard: boolean;
}

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12, names: MONTH_NAMES };
const DAY_OF_WEEK: FieldSpec = { name: 'day of week', min: 0, max: 7, names: WEEKDAY_NAMES };
/** Longest length of each month in any year, so that `0 0 29 2 *` is accepted and `0 0 30 2 *` is not. */
const MAX_DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function parseCron(expression: string): CronPattern {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new CronSyntaxError(`cron expression '${expression}' must have 5 fields (minute hour day month weekday)`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  const pattern: CronPattern = {
    minutes: parseField(minute, MINUTE),
    hours: parseField(hour, HOUR),
    daysOfMonth: new Set(parseField(dayOfMonth, DAY_OF_MONTH)),
    months: new Set(parseField(month, MONTH)),
    daysOfWeek: new Set(parseField(dayOfWeek, DAY_OF_WEEK).map((day) => day % 7)),
    dayOfMonthStar: dayOfMonth.startsWith('*'),
    dayOfWeekStar: dayOfWeek.startsWith('*'),
    wildcard: minute.startsWith('*') || hour.startsWith('*'),
  };
  if (!canEverMatch(pattern)) throw new CronSyntaxError(`cron expression '${expression}' matches no date`);
  return pattern;
}

/** Whether the pattern runs on this calendar date (month 1-12, weekday 0 = Sunday). */
export function matchesDate(pattern: CronPattern, month: number, day: number, weekday: number): boolean {
  if (!pattern.months.has(month)) return false;
  const dayOfMonth = pattern.daysOfMonth.has(day);
  const dayOfWeek = pattern.daysOfWeek.has(weekday);
  return pattern.dayOfMonthStar || pattern.dayOfWeekStar ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
}

/** Only a day-of-month restriction can be impossible (the 31st of a 30-day month); every month has all weekdays. */
function canEverMatch(pattern: CronPattern): boolean {
  if (!pattern.dayOfWeekStar) return true;
  const earliestDay = Math.min(...pattern.daysOfMonth);
  return [...pattern.months].some((month) => earliestDay <= MAX_DAYS_IN_MONTH[month - 1]!);
}

function parseField(text: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(part);
    if (!match) throw new CronSyntaxError(`invalid ${spec.name} '${part}'`);
    const [, range, stepText] = match as unknown as [string, string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(`invalid step in ${spec.name} '${part}'`);
    const [from, to] = bounds(range, stepText !== undefined, spec);
    if (from > to) throw new CronSyntaxError(`empty range in ${spec.name} '${part}'`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** `*` is the whole field; `n/step` runs from n to the field's maximum, a bare `n` is just n. */
function bounds(range: string, stepped: boolean, spec: FieldSpec): [number, number] {
  if (range === '*') return [spec.min, spec.max];
  const [fromText, toText] = range.split('-') as [string, string | undefined];
  const from = fieldValue(fromText, spec);
  if (toText !== undefined) return [from, fieldValue(toText, spec)];
  return [from, stepped ? spec.max : from];
}

function fieldValue(text: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  // Names are listed from the field's minimum: 'jan' is 1, 'sun' is 0.
  const value = named >= 0 ? spec.min + named : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(value >= spec.min && value <= spec.max)) {
    throw new CronSyntaxError(`${spec.name} '${text}' is outside ${spec.min}-${spec.max}`);
  }
  return value;
}
