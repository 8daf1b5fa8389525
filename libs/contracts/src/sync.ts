import { z } from 'zod';
import { ConnectorName } from './connectors';
import { cronProblem, isTimeZone } from '@junction/schedules';
import { Timestamp } from './entities';
import { documented } from './schema-docs';

const text = () => z.string().min(1);
const count = () => z.number().int().min(0);

const stream = () =>
  documented(text(), { description: "The connector's pull stream, e.g. documents, customers, products, orders." });

export const SyncReason = documented(z.enum(['schedule', 'manual', 'save_and_sync', 'api', 'replay']), {
  id: 'SyncReason',
  description: 'What started a sync: a schedule, the Sync button, "Save and Sync", the API, or a replay.',
});
export type SyncReason = z.infer<typeof SyncReason>;

export const SyncRequested = documented(
  z.object({
    requestId: text(),
    connector: ConnectorName,
    connectionId: text(),
    stream: stream(),
    integrationId: text().optional(),
    scheduleId: documented(text().optional(), { description: 'The schedule that fired, when reason is schedule.' }),
    reason: SyncReason,
    fullResync: documented(z.boolean().default(false), {
      description: 'Ignore the cursor and pull everything again; normally only what was not synced yet is pulled.',
    }),
    requestedAt: Timestamp,
  }),
  { id: 'SyncRequested', description: 'Ask a connector to pull one stream of one connection.' },
);
export type SyncRequested = z.infer<typeof SyncRequested>;

/** How many of a run's failed records its updates name. */
export const SHOWN_FAILED_RECORDS = 20;

export const SyncRunUpdated = documented(
  z.object({
    runId: text(),
    requestId: documented(text().optional(), { description: 'The sync.requested that started or joined this run.' }),
    connector: ConnectorName,
    connectionId: text(),
    stream: stream(),
    integrationId: text().optional(),
    state: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    reason: SyncReason.optional(),
    startedAt: Timestamp,
    finishedAt: Timestamp.optional(),
    progress: z.object({
      done: count(),
      total: documented(count().optional(), { description: 'Absent while the source cannot tell how much is left.' }),
    }),
    counts: z.object({ created: count(), updated: count(), skipped: count(), failed: count() }),
    error: z.object({ code: text(), message: text() }).optional(),
    failedRecords: documented(
      z.array(z.object({ entityType: text(), recordKey: text(), error: text() })).max(SHOWN_FAILED_RECORDS).optional(),
      {
        description:
          `The first ${SHOWN_FAILED_RECORDS} records the run read but could not sync, with why (counts.failed tells how ` +
          'many in all); absent while none failed.',
      },
    ),
    revision: documented(count(), {
      description: 'Grows with every update of the run, so consumers can drop updates that arrive out of order.',
    }),
  }),
  { id: 'SyncRunUpdated', description: 'Progress or the end of a sync run.' },
);
export type SyncRunUpdated = z.infer<typeof SyncRunUpdated>;


const scheduleTarget = {
  id: text(),
  connector: ConnectorName,
  connectionId: text(),
  stream: stream(),
};

export const IntervalSchedule = documented(
  z.object({
    ...scheduleTarget,
    kind: z.literal('interval'),
    everyMinutes: documented(z.number().int().min(1).max(10080), { description: 'From 1 minute to 1 week.' }),
  }),
  { id: 'IntervalSchedule', description: 'Sync every N minutes.' },
);
export type IntervalSchedule = z.infer<typeof IntervalSchedule>;

export const CronSchedule = documented(
  z.object({
    ...scheduleTarget,
    kind: z.literal('cron'),
    cron: documented(
      z.string().superRefine((expression, ctx) => {
        const problem = cronProblem(expression);
        if (problem) ctx.addIssue({ code: 'custom', message: `Invalid cron expression: ${problem}` });
      }),
      { description: '5-field cron expression: minute hour day-of-month month day-of-week, e.g. 0 4 * * * (at dawn).' },
    ),
    timeZone: documented(z.string().refine(isTimeZone, 'Unknown IANA time zone'), {
      description: 'IANA time zone the cron expression is read in, e.g. Europe/Budapest.',
    }),
  }),
  { id: 'CronSchedule', description: 'Sync at the times a cron expression names.' },
);
export type CronSchedule = z.infer<typeof CronSchedule>;

export const Schedule = documented(z.discriminatedUnion('kind', [IntervalSchedule, CronSchedule]), {
  id: 'Schedule',
  description: 'When to request a sync of one stream of one connection.',
});
export type Schedule = z.infer<typeof Schedule>;

export const ScheduleUpdated = documented(
  z.object({
    integrationId: text(),
    schedules: documented(
      z.array(Schedule).superRefine((schedules, ctx) => {
        const seen = new Set<string>();
        for (const [index, schedule] of schedules.entries()) {
          if (seen.has(schedule.id)) {
            ctx.addIssue({ code: 'custom', message: `Duplicate schedule id '${schedule.id}'`, path: [index, 'id'] });
          }
          seen.add(schedule.id);
        }
      }),
      { description: "The integration's complete set of schedules; it replaces the previous set (empty = none)." },
    ),
  }),
  { id: 'ScheduleUpdated', description: "An integration's schedules changed." },
);
export type ScheduleUpdated = z.infer<typeof ScheduleUpdated>;
