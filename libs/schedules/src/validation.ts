import { CronSyntaxError, parseCron } from './cron-expression';

/** Why a 5-field cron expression can never run (bad syntax, or a date like 30 February), or undefined if it can. */
export function cronProblem(expression: string): string | undefined {
  try {
    parseCron(expression);
    return undefined;
  } catch (error) {
    if (error instanceof CronSyntaxError) return error.message;
    throw error;
  }
}

/** Whether `name` is an IANA time zone this runtime knows, e.g. 'Europe/Budapest'. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
