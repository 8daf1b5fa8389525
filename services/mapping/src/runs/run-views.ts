import { Inject, Injectable } from '@nestjs/common';
import { quoteIdent, schemaOf } from '@junction/connector-kit';
import type { SyncRunUpdated } from '@junction/contracts';
import { DataSource } from 'typeorm';
import { connectionOn, connectorOn, syncStreamsOf, type Integration } from '../integrations/integration';
import type { RecordFailureEntity } from '../failures/record-failure.entity';
import { RecordFailures } from '../failures/record-failures';
import { WaitingEvents, type WaitingView } from '../waiting/waiting-events';
import { SyncRunViewEntity } from './sync-run-view.entity';

/** The sync_run_views projection: written from sync.run.updated, read by the runs screen. */
@Injectable()
export class RunViews {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Stores the run's state unless a newer revision of it is already stored (updates may arrive out of order). An update
   * that names no failed records keeps the ones stored: only the runner names them, not e.g. a lease expiry. The first
   * trace id given stays the run's.
   */
  async apply(run: SyncRunUpdated, requestMessageId?: string, traceId?: string): Promise<void> {
    const table = `${quoteIdent(schemaOf(this.dataSource))}.${quoteIdent('sync_run_views')}`;
    await this.dataSource.query(
      `INSERT INTO ${table} AS view
         (run_id, integration_id, connector, connection_id, stream, state, reason, progress, counts, error,
          started_at, finished_at, revision, request_message_id, failed_records, trace_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (run_id) DO UPDATE SET
         request_message_id = COALESCE(EXCLUDED.request_message_id, view.request_message_id),
         integration_id = EXCLUDED.integration_id, state = EXCLUDED.state, reason = EXCLUDED.reason,
         progress = EXCLUDED.progress, counts = EXCLUDED.counts, error = EXCLUDED.error,
         started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at, revision = EXCLUDED.revision,
         failed_records = COALESCE(EXCLUDED.failed_records, view.failed_records),
         trace_id = COALESCE(view.trace_id, EXCLUDED.trace_id)
       WHERE view.revision < EXCLUDED.revision`,
      [
        run.runId,
        run.integrationId ?? null,
        run.connector,
        run.connectionId,
        run.stream,
        run.state,
        run.reason ?? null,
        JSON.stringify(run.progress),
        JSON.stringify(run.counts),
        run.error ? JSON.stringify(run.error) : null,
        run.startedAt,
        run.finishedAt ?? null,
        run.revision,
        requestMessageId ?? null,
        run.failedRecords ? JSON.stringify(run.failedRecords) : null,
        traceId ?? null,
      ],
    );
  }

  /** The runs of the integration's pulled streams that are going now, as far as their updates have arrived. */
  running(integration: Integration): Promise<SyncRunViewEntity[]> {
    const streams = syncStreamsOf(integration);
    if (streams.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(SyncRunViewEntity, {
      where: streams.map(({ connector, connectionId, stream }) => ({ connector, connectionId, stream, state: 'running' as const })),
      order: { startedAt: 'DESC', runId: 'ASC' },
    });
  }

  /** The commands connectors gave up on for the integration, newest first. */
  failures(integration: Integration, limit: number): Promise<RecordFailureEntity[]> {
    return new RecordFailures(this.dataSource.manager).of(integration.id, limit);
  }

  /** What waits for the integration's settings to change or for a record's link, oldest first. */
  waiting(integration: Integration): Promise<WaitingView[]> {
    return new WaitingEvents(this.dataSource.manager).of(integration.id);
  }

  /** The runs of the integration's connections, newest first. */
  forIntegration(integration: Integration, limit: number): Promise<SyncRunViewEntity[]> {
    return this.dataSource.manager.find(SyncRunViewEntity, {
      where: (['source', 'target'] as const).map((side) => ({
        connector: connectorOn(integration.kind, side),
        connectionId: connectionOn(integration, side),
      })),
      order: { startedAt: 'DESC', runId: 'ASC' },
      take: limit,
    });
  }
}
