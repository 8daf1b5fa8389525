import { Schedule, ScheduleUpdated, SyncRequested, SyncRunUpdated } from './sync';

const target = { id: 'sched-1', connector: 'shoprenter', connectionId: 'sr-1', stream: 'orders' } as const;

describe('Schedule', () => {
  it('accepts an interval schedule', () => {
    const hourly = { ...target, kind: 'interval', everyMinutes: 60 };
    expect(Schedule.parse(hourly)).toEqual(hourly);
  });

  it.each([0, 10081, 2.5])('rejects an interval of %s minutes', (everyMinutes) => {
    expect(Schedule.safeParse({ ...target, kind: 'interval', everyMinutes }).success).toBe(false);
  });

  it('accepts a nightly cron schedule in a time zone', () => {
    const nightly = { ...target, kind: 'cron', cron: '0 4 * * *', timeZone: 'Europe/Budapest' };
    expect(Schedule.parse(nightly)).toEqual(nightly);
  });

  it('rejects a time zone that is not an IANA name', () => {
    const result = Schedule.safeParse({ ...target, kind: 'cron', cron: '0 4 * * *', timeZone: 'Mars/Olympus_Mons' });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['timeZone'], message: 'Unknown IANA time zone' })]);
  });

  it('explains what is wrong with a cron expression', () => {
    const result = Schedule.safeParse({ ...target, kind: 'cron', cron: '0 25 * * *', timeZone: 'UTC' });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['cron'], message: "Invalid cron expression: hour '25' is outside 0-23" }),
    ]);
  });

  it('refuses a cron expression that can never run, so the scheduler never has to dead-letter it', () => {
    const result = Schedule.safeParse({ ...target, kind: 'cron', cron: '0 0 30 2 *', timeZone: 'UTC' });
    expect(result.error?.issues[0]?.message).toMatch(/matches no date/);
  });

  it('rejects a kind it does not know, and fields of the other kind', () => {
    expect(Schedule.safeParse({ ...target, kind: 'daily' }).success).toBe(false);
    expect(Schedule.safeParse({ ...target, kind: 'cron', everyMinutes: 5 }).success).toBe(false);
  });

  it('only schedules known connectors', () => {
    expect(Schedule.safeParse({ ...target, connector: 'salesforce', kind: 'interval', everyMinutes: 5 }).success).toBe(false);
  });
});

describe('ScheduleUpdated', () => {
  it('accepts an empty set, which removes every schedule', () => {
    expect(ScheduleUpdated.parse({ integrationId: 'int-1', schedules: [] }).schedules).toEqual([]);
  });

  it('rejects two schedules with one id', () => {
    const interval = { ...target, kind: 'interval', everyMinutes: 5 };
    const result = ScheduleUpdated.safeParse({ integrationId: 'int-1', schedules: [interval, interval] });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['schedules', 1, 'id'], message: "Duplicate schedule id 'sched-1'" }),
    ]);
  });
});

describe('SyncRequested', () => {
  const request = {
    requestId: 'req-1',
    connector: 'shoprenter',
    connectionId: 'sr-1',
    stream: 'orders',
    reason: 'save_and_sync',
    requestedAt: '2024-09-23T18:00:00Z',
  } as const;

  it('defaults to an incremental sync', () => {
    expect(SyncRequested.parse(request).fullResync).toBe(false);
    expect(SyncRequested.parse({ ...request, fullResync: true }).fullResync).toBe(true);
  });

  it('rejects an unknown reason', () => {
    expect(SyncRequested.safeParse({ ...request, reason: 'cron' }).success).toBe(false);
  });
});

describe('SyncRunUpdated', () => {
  const run = {
    runId: 'run-1',
    connector: 'shoprenter',
    connectionId: 'sr-1',
    stream: 'orders',
    state: 'running',
    startedAt: '2024-09-23T18:00:00Z',
    progress: { done: 100 },
    counts: { created: 90, updated: 5, skipped: 5, failed: 0 },
    revision: 4,
  } as const;

  it('accepts progress without a known total', () => {
    expect(SyncRunUpdated.parse(run).progress).toEqual({ done: 100 });
  });

  it('rejects negative counts', () => {
    const result = SyncRunUpdated.safeParse({ ...run, counts: { ...run.counts, failed: -1 } });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['counts', 'failed']]);
  });
});
