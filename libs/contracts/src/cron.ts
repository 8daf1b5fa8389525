// Validates classic 5-field cron expressions ('0 3 * * *') so a bad schedule is refused when it is saved,
// not when the scheduler first tries to fire it.

interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  // 0 and 7 both mean Sunday.
  { name: 'day of week', min: 0, max: 7, names: WEEKDAYS },
];

const ITEM = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/;

function valueOf(token: string, field: CronField): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  // Names count from the field's minimum: JAN = 1, SUN = 0.
  return index < 0 ? undefined : field.min + index;
}

function itemProblem(item: string, field: CronField): string | undefined {
  const match = ITEM.exec(item);
  if (!match) return `${field.name}: '${item}' is not a value, range, list or step`;
  const [, range, step] = match;
  if (step !== undefined && Number(step) < 1) return `${field.name}: step must be at least 1`;
  if (range === '*') return undefined;
  const values: number[] = [];
  for (const token of range.split('-')) {
    const value = valueOf(token, field);
    if (value === undefined || value < field.min || value > field.max) {
      return `${field.name}: '${token}' is not a value in ${field.min}-${field.max}`;
    }
    values.push(value);
  }
  if (values.length === 2 && values[0] > values[1]) return `${field.name}: range '${range}' runs backwards`;
  return undefined;
}

/** Why `expression` is not a valid 5-field cron expression, or undefined when it is. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    return `expected 5 fields (minute hour day-of-month month day-of-week), got ${expression.trim() ? parts.length : 0}`;
  }
  for (const [index, part] of parts.entries()) {
    for (const item of part.split(',')) {
      const problem = itemProblem(item, FIELDS[index]);
      if (problem) return problem;
    }
  }
  return undefined;
}
