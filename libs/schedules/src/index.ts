export { CronSyntaxError, matchesDate, parseCron, type CronPattern } from './cron-expression';
export {
  dueSlot,
  InvalidTimingError,
  nextRunAt,
  nextSlotAfter,
  sameTiming,
  validateTiming,
  type Schedule,
  type ScheduleTiming,
} from './slots';
export { canonicalTimeZone, DAY, HOUR, instantAtWallTime, MINUTE, utcOffsetAt, wallClockText } from './time-zone';
export { cronProblem, isTimeZone } from './validation';
