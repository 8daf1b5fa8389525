import { EVENTS, messageId, type Schedule, type SyncReason } from '@junction/contracts';
import type { z } from 'zod';
import { syncStreamsOf, type Integration } from './integration';

type ScheduleUpdatedEnvelope = z.output<(typeof EVENTS)['config.schedule.updated']['envelope']>;
type SyncRequestedEnvelope = z.output<(typeof EVENTS)['sync.requested']['envelope']>;

/** Junction's own services name what they acted for as the connection. */
function mappingSource(integrationId: string) {
  return { connector: 'mapping', connectionId: integrationId };
}

/**
 * The integration's complete schedule set. The id carries the revision, so a retried save is deduplicated
 * while every real change gets through.
 */
export function scheduleUpdated(
  integrationId: string,
  revision: number,
  schedules: Schedule[],
  now: Date,
): ScheduleUpdatedEnvelope {
  return EVENTS['config.schedule.updated'].envelope.parse({
    id: messageId('integration', integrationId, 'schedules', revision),
    type: 'config.schedule.updated',
    version: EVENTS['config.schedule.updated'].version,
    source: mappingSource(integrationId),
    integrationId,
    occurredAt: now.toISOString(),
    data: { integrationId, schedules },
  });
}

/** One sync request per stream the integration pulls, all under one request id. */
export function syncRequests(
  integration: Integration,
  reason: SyncReason,
  requestId: string,
  now: Date,
  options: { fullResync?: boolean } = {},
): SyncRequestedEnvelope[] {
  return syncStreamsOf(integration).map(({ connector, connectionId, stream }) =>
    EVENTS['sync.requested'].envelope.parse({
      id: messageId('sync', requestId, connector, stream),
      type: 'sync.requested',
      version: EVENTS['sync.requested'].version,
      source: mappingSource(integration.id),
      integrationId: integration.id,
      occurredAt: now.toISOString(),
      data: {
        requestId,
        connector,
        connectionId,
        stream,
        integrationId: integration.id,
        reason,
        fullResync: options.fullResync ?? false,
        requestedAt: now.toISOString(),
      },
    }),
  );
}
