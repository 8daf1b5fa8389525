import type { IdMap, SyncRuns } from '@junction/connector-kit';
import { junctionMetrics, type Logger } from '@junction/telemetry';
import type { ObservableCallback } from '@opentelemetry/api';
import type { ConnectionStore } from './connection-store';

/**
 * Observes, on every metrics collection, the sync lag of each stream of this connector's connections and the size of
 * their ID maps (two grouped queries). Returns the function that stops observing. Every replica reports the same
 * values: aggregate with max.
 */
export function observeConnectorState(
  connector: string,
  store: Pick<ConnectionStore<unknown, unknown>, 'list'>,
  syncRuns: SyncRuns,
  idMap: IdMap,
  logger: Logger,
): () => void {
  const { syncLag, idMapEntries } = junctionMetrics();
  // Runs and ID map entries of deleted connections are not lag or size anybody has to act on.
  const liveConnections = async () => new Set((await store.list()).map((connection) => connection.id));
  const observeLag: ObservableCallback = async (result) => {
    try {
      const live = await liveConnections();
      const now = Date.now();
      for (const stream of await syncRuns.freshness()) {
        if (!live.has(stream.connectionId)) continue;
        // Never succeeded: every change since the first attempt may be missing.
        const since = stream.lastSucceededStartedAt ?? stream.firstStartedAt;
        result.observe(Math.max(0, (now - since.getTime()) / 1000), {
          integration: stream.integrationId ?? '',
          connector,
          connection: stream.connectionId,
          stream: stream.stream,
        });
      }
    } catch (err) {
      logger.warn({ err }, 'could not read sync lag for metrics');
    }
  };
  const observeIdMap: ObservableCallback = async (result) => {
    try {
      const live = await liveConnections();
      for (const size of await idMap.sizes()) {
        if (!live.has(size.connectionId)) continue;
        result.observe(size.entries, { connector, connection: size.connectionId, entity: size.entityType });
      }
    } catch (err) {
      logger.warn({ err }, 'could not read ID map sizes for metrics');
    }
  };
  syncLag.addCallback(observeLag);
  idMapEntries.addCallback(observeIdMap);
  return () => {
    syncLag.removeCallback(observeLag);
    idMapEntries.removeCallback(observeIdMap);
  };
}
