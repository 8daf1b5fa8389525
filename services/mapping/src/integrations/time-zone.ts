import { isTimeZone } from '@junction/schedules';
import { z } from 'zod';

/** An IANA time zone name, e.g. 'Europe/Budapest'. */
export function timeZoneSetting(defaultZone: string) {
  return z.string().default(defaultZone).refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Budapest' });
}

/** Formats an instant the way the ZZap module shows "last sync time": 'DD-MM-YYYY HH:mm' in the given zone. */
export function formatSyncTime(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((candidate) => candidate.type === type)?.value;
  return `${part('day')}-${part('month')}-${part('year')} ${part('hour')}:${part('minute')}`;
}
