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

// Zones found valid: integrations' settings are checked at every event mapping routes, and each check built a
// DateTimeFormat (2 % of mapping's CPU). Only the names of real zones are kept, so the set stays small.
const knownTimeZones = new Set<string>();

/** Whether `name` is an IANA time zone this runtime knows, e.g. 'Europe/Budapest'. */
export function isTimeZone(name: string): boolean {
  if (knownTimeZones.has(name)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return false;
  }
  knownTimeZones.add(name);
  return true;
}
