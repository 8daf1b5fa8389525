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
export { canonicalTimeZone, DAY, HOUR, MINUTE } from './time-zone';
export { cronProblem, isTimeZone } from './validation';
