/** Where the scheduler reads the time; tests pass their own so they need not wait for real cron times. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
