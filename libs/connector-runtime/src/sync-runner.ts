import {
  Cursors,
  type IdMap,
  type Observations,
  SyncRunLeaseLostError,
  SyncRuns,
  type SyncRunView,
} from '@junction/connector-kit';
import { messageId, SHOWN_FAILED_RECORDS, type Envelope, type SyncRequested } from '@junction/contracts';
import { MessageTooLargeError } from '@junction/messaging';
import { JUNCTION_ATTRIBUTES, junctionMetrics, type Logger } from '@junction/telemetry';
import { context, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { AbortedError, pause, untilAborted } from './abortable';
import type { ConnectionStore, LoadedConnection } from './connection-store';
import type { ConnectorDefinition, PulledRecord, PullStream, StreamPage } from './definition';
import type { EventPublisher } from './event-publisher';
import { classifyFailure, isTransient, UnknownConnectionError, type Failure } from './failures';
import { publishRunUpdate, type RunUpdateDetails } from './run-updates';
import { inRecordTrace, markFailed, runAttributes, runtimeTracer, type RunDescription, type RunTrace } from './tracing';

export interface SyncRunnerOptions {
  /** How long a run stays ours without a heartbeat; heartbeats go out every third of it. */
  leaseMs: number;
  /** This process's name on the lease. */
  owner: string;
  /** Times a read that failed with a transient error resumes from the saved cursor before the run fails. */
  readRetries: number;
  /** Pause before the first resume (doubling after); a vendor's Retry-After wins. */
  readRetryDelayMs: number;
}

/** A run SyncRuns.start handed us, and what it was started for. */
export interface RunAssignment<Settings, Credentials> {
  run: SyncRunView;
  streamName: string;
  stream: PullStream<Settings, Credentials>;
  request: Envelope<SyncRequested>;
}

/** The run with its connection loaded, and its span. */
interface LoadedRun<Settings, Credentials> extends RunAssignment<Settings, Credentials> {
  connection: LoadedConnection<Settings, Credentials>;
  trace: RunTrace;
}

/** How a run ended for this worker: 'stopped' runs (shutdown, lost lease) are resumed by a later request. */
type RunEnd = 'succeeded' | 'failed' | 'stopped';

type RecordResult =
  | { key: string; outcome: 'created' | 'updated' | 'skipped' }
  | { key: string; outcome: 'failed'; error: string };

/**
 * Carries out one sync run: page by page, publish the page's events, wait for every ack, and only then save the
 * cursor, record the outcomes and report progress. A crash loses at most the page in flight; the next run resumes
 * from the saved cursor and republishes with the same deterministic ids.
 */
export class SyncRunner<Settings, Credentials> {
  constructor(
    private readonly definition: ConnectorDefinition<Settings, Credentials>,
    private readonly store: ConnectionStore<Settings, Credentials>,
    private readonly syncRuns: SyncRuns,
    private readonly cursors: Cursors,
    private readonly observations: Observations,
    private readonly idMap: IdMap,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
    private readonly options: SyncRunnerOptions,
  ) {}

  /**
   * Runs to the end of the stream or a failure, which ends the run 'failed' with the reason. When `stop` aborts
   * (shutdown) the run ends at a page boundary and stays 'running' until its lease expires; the next request then
   * marks it failed and resumes from its cursor. Never throws.
   */
  async execute(assignment: RunAssignment<Settings, Credentials>, stop: AbortSignal): Promise<void> {
    const { run, stream } = assignment;
    const description: RunDescription = {
      connector: this.definition.name,
      connectionId: run.connectionId,
      stream: run.stream,
      entityType: stream.entityType,
      runId: run.id,
      integrationId: run.integrationId,
    };
    // A child of the request's delivery: the scheduler's (or the control API's) trace goes on into the run.
    const span = runtimeTracer().startSpan(`sync run ${this.definition.name}.${run.stream}`, {
      attributes: { ...runAttributes(description), 'junction.sync.reason': run.reason },
    });
    const startedAt = performance.now();
    let end: RunEnd = 'failed';
    try {
      end = await context.with(trace.setSpan(context.active(), span), () =>
        this.run({ ...assignment, trace: { span, description, linkedRecords: 0 } }, stop),
      );
    } finally {
      span.setAttribute('junction.sync.run.state', end);
      if (end === 'failed') span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      junctionMetrics().syncRunDuration.record((performance.now() - startedAt) / 1000, {
        integration: run.integrationId ?? '',
        connector: this.definition.name,
        stream: run.stream,
        state: end,
      });
    }
  }

  private async run(
    assignment: Omit<LoadedRun<Settings, Credentials>, 'connection'>,
    stop: AbortSignal,
  ): Promise<RunEnd> {
    const { run } = assignment;
    const lease = new AbortController();
    const signal = AbortSignal.any([stop, lease.signal]);
    const logger = this.logger.child({
      runId: run.id,
      integrationId: run.integrationId ?? undefined,
      connectionId: run.connectionId,
      stream: run.stream,
    });
    const beatEveryMs = Math.max(1, Math.floor(this.options.leaseMs / 3));
    // Outside the run's trace: a heartbeat every few seconds for hours would bury the run's own spans.
    const heartbeat = context.with(ROOT_CONTEXT, () =>
      setInterval(() => void this.heartbeat(run.id, lease, logger), beatEveryMs),
    );
    try {
      const connection = await this.store.load(run.connectionId);
      if (!connection) throw new UnknownConnectionError(run.connectionId);
      if (assignment.request.data.fullResync) await this.cursors.reset(run.connectionId, assignment.streamName);
      await this.publishUpdate(assignment, run);
      await this.readStream({ ...assignment, connection }, signal, logger);
      const view = await this.syncRuns.finish(run.id, { state: 'succeeded' });
      await this.publishUpdate(assignment, view);
      assignment.trace.span.setAttributes(countAttributes(view.counts));
      logger.info({ progress: view.progress, counts: view.counts }, 'sync run succeeded');
      return 'succeeded';
    } catch (error) {
      if (lease.signal.aborted || error instanceof SyncRunLeaseLostError) {
        logger.warn('sync run lost its lease to another worker; stopped');
        return 'stopped';
      }
      if (stop.aborted) {
        logger.info('sync run stopped at a page boundary; the next request resumes it once the lease expires');
        return 'stopped';
      }
      await this.fail(assignment, classifyFailure(error), logger);
      return 'failed';
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Reads every page from the saved cursor; a transient read error pauses and resumes from the cursor saved last. */
  private async readStream(
    assignment: LoadedRun<Settings, Credentials>,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<void> {
    const { connection, stream, streamName } = assignment;
    const ctx = connection.context(logger, signal);
    let cursor = await this.cursors.get<unknown>(connection.info.id, streamName);
    let failedReads = 0;
    for (;;) {
      try {
        for await (const page of untilAborted(stream.read(ctx, cursor), signal)) {
          await this.commitPage(assignment, page, logger);
          cursor = page.cursor;
          failedReads = 0;
          if (signal.aborted) throw new AbortedError();
        }
        return;
      } catch (error) {
        if (signal.aborted || !isTransient(error) || failedReads >= this.options.readRetries) throw error;
        failedReads++;
        const failure = classifyFailure(error);
        const delayMs = failure.retryAfterMs ?? this.options.readRetryDelayMs * 2 ** (failedReads - 1);
        logger.warn(
          { code: failure.code, reason: failure.message, attempt: failedReads, delayMs },
          'stream read failed; resuming from the saved cursor after a pause',
        );
        await pause(delayMs, signal);
      }
    }
  }

  private async commitPage(
    assignment: LoadedRun<Settings, Credentials>,
    page: StreamPage<unknown>,
    logger: Logger,
  ): Promise<void> {
    const { run, stream, streamName, connection } = assignment;
    const ownWrites = await this.ownWrites(connection.info.id, stream.entityType, page.records);
    const published = await Promise.all(
      page.records.map((record) =>
        ownWrites.has(record.key) && record.changeKey === undefined
          ? { key: record.key, outcome: 'skipped' as const }
          : this.publishRecord(assignment, record),
      ),
    );
    const results: RecordResult[] = [
      ...published,
      ...(page.failed ?? []).map(({ key, error }) => ({ key, outcome: 'failed' as const, error })),
    ];
    // The invariant: observations and the cursor move only once every event of their page is stored by JetStream.
    // Observations go first: a crash before the cursor re-reads a page whose changes are already observed.
    await this.observations.setMany(connection.info.id, page.observations ?? []);
    await this.cursors.set(connection.info.id, streamName, page.cursor);
    if (results.length > 0) {
      await this.syncRuns.recordOutcomes(
        run.id,
        results.map((result) =>
          result.outcome === 'failed'
            ? { entityType: stream.entityType, recordKey: result.key, outcome: 'failed', error: result.error }
            : { entityType: stream.entityType, recordKey: result.key, outcome: result.outcome },
        ),
      );
    }
    for (const result of results) {
      junctionMetrics().syncRecords.add(1, {
        integration: assignment.request.integrationId ?? '',
        connection: connection.info.id,
        entity: stream.entityType,
        outcome: result.outcome,
      });
    }
    const view = await this.syncRuns.progress(run.id, { done: results.length, total: page.total });
    await this.publishUpdate(assignment, view);
    logger.info({ records: results.length, progress: view.progress, counts: view.counts }, 'sync page committed');
  }

  /** Publishes one record's event in the record's own trace; a record that breaks the event's contract fails alone. */
  private publishRecord(assignment: LoadedRun<Settings, Credentials>, record: PulledRecord): Promise<RecordResult> {
    return inRecordTrace(assignment.trace, record.key, async (span) => {
      const result = await this.publishRecordEvent(assignment, record);
      span.setAttribute(JUNCTION_ATTRIBUTES.outcome, result.outcome);
      if (result.outcome === 'failed') markFailed(span, undefined, 'invalid_record');
      return result;
    });
  }

  private async publishRecordEvent(
    assignment: LoadedRun<Settings, Credentials>,
    record: PulledRecord,
  ): Promise<RecordResult> {
    const { connection, stream, streamName, request } = assignment;
    const subject = record.subject ?? stream.eventSubject;
    let envelope: { id: string };
    try {
      envelope = this.events.envelope(subject, {
        id: messageId(this.definition.name, connection.info.id, streamName, record.key, record.changeKey ?? 'created'),
        connectionId: connection.info.id,
        occurredAt: record.occurredAt,
        causationId: request.id,
        // The run's request starts the chain: outcomes of the commands this record leads to are reported on it.
        correlationId: request.id,
        data: record.data,
      });
    } catch (error) {
      return { key: record.key, outcome: 'failed', error: classifyFailure(error).message };
    }
    let duplicate: boolean;
    try {
      ({ duplicate } = await this.events.publishEnvelope(subject, envelope));
    } catch (error) {
      // Too large for the stream now is too large on every retry: the record fails, the stream goes on past it.
      if (error instanceof MessageTooLargeError) return { key: record.key, outcome: 'failed', error: error.message };
      throw error;
    }
    if (duplicate) return { key: record.key, outcome: 'skipped' };
    return { key: record.key, outcome: record.changeKey === undefined ? 'created' : 'updated' };
  }

  /**
   * The page's records this connection wrote into the vendor itself (the ID map holds them with origin 'written'):
   * their `created` events would echo Junction's own writes back as new records, so they are skipped.
   */
  private ownWrites(connectionId: string, entityType: string, records: PulledRecord[]): Promise<Set<string>> {
    const created = records.filter((record) => record.changeKey === undefined).map((record) => record.key);
    return this.idMap.writtenExternalIds(connectionId, entityType, created);
  }

  /** Publishes the run's state; once records have failed, it names the first of them with their errors. */
  private async publishUpdate(
    assignment: Pick<RunAssignment<Settings, Credentials>, 'request'>,
    view: SyncRunView,
    details: RunUpdateDetails = {},
  ): Promise<void> {
    const failed = view.counts.failed > 0 ? await this.syncRuns.recordsOf(view.id, { outcome: 'failed', limit: SHOWN_FAILED_RECORDS }) : [];
    const failedRecords = failed.map(({ entityType, recordKey, error }) => ({ entityType, recordKey, error: error ?? 'failed' }));
    await publishRunUpdate(this.events, this.definition.name, view, assignment.request.id, { ...details, failedRecords });
  }

  private async heartbeat(runId: string, lease: AbortController, logger: Logger): Promise<void> {
    try {
      await this.syncRuns.heartbeat(runId, this.options.owner, this.options.leaseMs);
    } catch (error) {
      if (error instanceof SyncRunLeaseLostError) lease.abort();
      else logger.warn({ err: error }, 'sync run heartbeat failed; retrying at the next beat');
    }
  }

  private async fail(
    assignment: Omit<LoadedRun<Settings, Credentials>, 'connection'>,
    failure: Failure,
    logger: Logger,
  ): Promise<void> {
    assignment.trace.span.setAttribute('error.type', failure.code);
    try {
      const view = await this.syncRuns.finish(assignment.run.id, { state: 'failed', error: failure.message });
      await this.publishUpdate(assignment, view, { errorCode: failure.code });
      logger.error({ code: failure.code, reason: failure.message }, 'sync run failed');
    } catch (error) {
      // The run stays 'running' until its lease expires; the next request marks it failed.
      logger.error(
        { err: error, code: failure.code, reason: failure.message },
        'sync run failed and could not be marked failed',
      );
    }
  }
}

function countAttributes(counts: { created: number; updated: number; skipped: number; failed: number }) {
  return {
    'junction.sync.records.created': counts.created,
    'junction.sync.records.updated': counts.updated,
    'junction.sync.records.skipped': counts.skipped,
    'junction.sync.records.failed': counts.failed,
  };
}
