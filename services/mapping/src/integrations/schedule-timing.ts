import { CronSchedule, IntervalSchedule } from '@junction/contracts';
import { z } from 'zod';

/** When a stream is pulled: every N minutes, or at the times of a cron expression in a time zone. */
export const ScheduleTiming = z.discriminatedUnion('kind', [
  IntervalSchedule.pick({ kind: true, everyMinutes: true }),
  CronSchedule.pick({ kind: true, cron: true, timeZone: true }),
]);
export type ScheduleTiming = z.infer<typeof ScheduleTiming>;

export function everyMinutes(minutes: number): ScheduleTiming {
  return { kind: 'interval', everyMinutes: minutes };
}

/**
 * Per-stream overrides of an integration's default schedules, keyed '<connector>.<stream>'. Only the streams the
 * kind pulls are accepted, so a typo is refused instead of silently ignored.
 */
export function scheduleOverrides<const K extends readonly [string, ...string[]]>(streamKeys: K) {
  return z.partialRecord(z.enum(streamKeys), ScheduleTiming).default({})
    .describe(`overrides of the default schedules, keyed by stream: ${streamKeys.join(', ')}`);
}
