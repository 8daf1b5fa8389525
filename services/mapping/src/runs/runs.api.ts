import { ConnectorName, SyncReason, SyncRunUpdated } from '@junction/contracts';
import { z } from 'zod';
import { defineRoute, type RouteHandlers } from '../http/api-route';
import { IntegrationIdParams } from '../integrations/integrations.api';
import type { IntegrationsService } from '../integrations/integrations.service';
import { formatSyncTime } from '../integrations/time-zone';
import type { RecordFailureEntity } from '../failures/record-failure.entity';
import type { WaitingView } from '../waiting/waiting-events';
import type { RunViews } from './run-views';

const LocalTime = z.object({
  iso: z.iso.datetime(),
  display: z.string().describe("'DD-MM-YYYY HH:mm' in the integration's time zone, e.g. 23-09-2024 18:00"),
});

const WaitingRecord = z.object({
  eventId: z.string(),
  subject: z.string(),
  reason: z.string().describe('why the record waits and what lets it go on, e.g. an unmapped status or a link not recorded yet'),
  since: LocalTime,
});

const RecordFailure = z.object({
  connector: ConnectorName,
  entityType: z.string(),
  sourceKey: z.string(),
  error: z.object({ code: z.string(), message: z.string().describe('what went wrong, as the target vendor said it') }),
  failedAt: LocalTime,
  commandId: z.string().describe('the dead-lettered command, to replay once the cause is fixed; for code link_missing, the event given up waiting'),
});

const RunView = z.object({
  runId: z.string(),
  connector: ConnectorName,
  connectionId: z.string(),
  stream: z.string(),
  state: SyncRunUpdated.shape.state,
  reason: SyncReason.nullable(),
  progress: SyncRunUpdated.shape.progress,
  counts: SyncRunUpdated.shape.counts,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  startedAt: LocalTime,
  finishedAt: LocalTime.nullable(),
  waiting: z.array(WaitingRecord).describe('records this run pulled that wait for the integration\'s settings or a link'),
  failures: z.array(RecordFailure).describe('writes the records of this run led to that a target connector (or mapping, waiting) gave up on'),
  failedRecords: z
    .array(z.object({ entityType: z.string(), recordKey: z.string(), error: z.string() }))
    .describe('the first records this run read but could not sync, with why (counts.failed tells how many in all)'),
  traceId: z
    .string()
    .nullable()
    .describe("the W3C trace id of the run's trace (its run span, linked to each record's trace); null when tracing was off"),
});

// Per run and for the integration: enough to answer "why did this record fail?" without paging.
const FAILURES_SHOWN = 200;

export const RunsView = z.object({
  integrationId: z.uuid(),
  timeZone: z.string(),
  lastSyncTime: LocalTime.nullable().describe('when the newest run started; null before the first run'),
  runs: z.array(RunView).describe('newest first'),
  waiting: z.array(WaitingRecord).describe('every record that waits for the integration\'s settings or a link, oldest first'),
  failures: z.array(RecordFailure).describe('the latest writes a target connector (or mapping, waiting) gave up on, newest first'),
});

export const RUN_ROUTES = {
  listRuns: defineRoute({
    method: 'get',
    path: '/v1/integrations/:id/runs',
    tag: 'runs',
    summary: "The sync runs of an integration's connections, newest first, with progress and the last sync time",
    params: IntegrationIdParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: RunsView,
    status: 200,
    errors: ['not_found'],
  }),
};

export function runHandlers(integrations: IntegrationsService, views: RunViews): RouteHandlers<typeof RUN_ROUTES> {
  return {
    listRuns: async ({ params, query }) => {
      const integration = await integrations.get(params.id);
      const { timeZone } = integration.settings;
      const localTime = (instant: Date) => ({ iso: instant.toISOString(), display: formatSyncTime(instant, timeZone) });
      const runs = await views.forIntegration(integration, query.limit);
      const waiting = await views.waiting(integration);
      const failures = await views.failures(integration, FAILURES_SHOWN);
      const waitingView = ({ eventId, subject, reason, since }: WaitingView) => ({ eventId, subject, reason, since: localTime(since) });
      const failureView = (failure: RecordFailureEntity) => ({
        connector: failure.connector as ConnectorName,
        entityType: failure.entityType,
        sourceKey: failure.sourceKey,
        error: { code: failure.code, message: failure.message },
        failedAt: localTime(failure.failedAt),
        commandId: failure.commandId,
      });
      const ofRun = <T extends { correlationId: string | null }>(records: T[], request: string | null) =>
        records.filter((record) => request !== null && record.correlationId === request);
      return {
        integrationId: integration.id,
        timeZone,
        lastSyncTime: runs.length > 0 ? localTime(runs[0].startedAt) : null,
        runs: runs.map(({ requestMessageId, failedRecords, ...run }) => ({
          ...run,
          failedRecords: failedRecords ?? [],
          startedAt: localTime(run.startedAt),
          finishedAt: run.finishedAt ? localTime(run.finishedAt) : null,
          waiting: ofRun(waiting, requestMessageId).map(waitingView),
          failures: ofRun(failures, requestMessageId).map(failureView),
        })),
        waiting: waiting.map(waitingView),
        failures: failures.map(failureView),
      };
    },
  };
}
