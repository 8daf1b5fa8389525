import { EXPIRED_LEASE_ERROR, type SyncRunView } from '@junction/connector-kit';
import { messageId, SyncReason, type ConnectorName, type SyncRunUpdated } from '@junction/contracts';
import type { EventPublisher } from './event-publisher';

/** What a run update tells beyond the run's own row. */
export interface RunUpdateDetails {
  /** The failure's code, for a run that failed. */
  errorCode?: string;
  /** The first records the run could not sync. */
  failedRecords?: SyncRunUpdated['failedRecords'];
}

/** Publishes `sync.run.updated` for the run as it is now; the id carries the revision, so a retry is deduped. */
export async function publishRunUpdate(
  events: EventPublisher,
  connector: ConnectorName,
  view: SyncRunView,
  causationId?: string,
  details: RunUpdateDetails = {},
): Promise<void> {
  await events.publish('sync.run.updated', {
    id: messageId('run', view.id, view.revision),
    connectionId: view.connectionId,
    occurredAt: new Date().toISOString(),
    integrationId: view.integrationId ?? undefined,
    causationId,
    // The run's updates belong to the chain its request started, like the events the run publishes.
    correlationId: causationId,
    data: runUpdateData(connector, view, details),
  });
}

export function runUpdateData(connector: ConnectorName, view: SyncRunView, details: RunUpdateDetails = {}): SyncRunUpdated {
  const { errorCode, failedRecords } = details;
  return {
    runId: view.id,
    requestId: view.requestId ?? undefined,
    connector,
    connectionId: view.connectionId,
    stream: view.stream,
    integrationId: view.integrationId ?? undefined,
    state: view.state,
    reason: SyncReason.safeParse(view.reason).data,
    startedAt: view.startedAt.toISOString(),
    finishedAt: view.finishedAt?.toISOString(),
    progress: { done: view.progress.done, total: view.progress.total ?? undefined },
    counts: view.counts,
    error: view.error ? { code: errorCode ?? defaultErrorCode(view.error), message: view.error } : undefined,
    failedRecords: failedRecords?.length ? failedRecords : undefined,
    revision: view.revision,
  };
}

function defaultErrorCode(error: string): string {
  return error === EXPIRED_LEASE_ERROR ? 'lease_expired' : 'sync_failed';
}
