import type { DataSource, EntityManager } from 'typeorm';
import { SyncRunEntity, SyncRunRecordEntity, type RecordOutcome, type SyncRunState } from './entities';
import { entityTable } from './schema';
import { firstRow, isUuid, runSql } from './sql';

export type FinishedRunState = Exclude<SyncRunState, 'running'>;

export interface RecordCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export interface SyncRunView {
  id: string;
  connectionId: string;
  stream: string;
  integrationId: string | null;
  requestId: string | null;
  reason: string;
  state: SyncRunState;
  startedAt: Date;
  finishedAt: Date | null;
  leaseOwner: string;
  leaseExpiresAt: Date;
  progress: { done: number; total: number | null };
  counts: RecordCounts;
  error: string | null;
  /** Grows with every change of state, progress or counts (not with heartbeats); consumers keep the highest. */
  revision: number;
}

export interface StartRunInput {
  connectionId: string;
  stream: string;
  integrationId?: string;
  /** The id of the sync.requested message; its redelivery finds this run instead of starting another. */
  requestId?: string;
  reason: string;
  /** Who runs it (e.g. hostname + pid); heartbeats must come from the same owner. */
  owner: string;
  /** How long the run stays ours without a heartbeat. */
  leaseMs: number;
}

export type StartRunResult =
  // expiredRun: the previous run, whose lease had expired and which this start marked failed.
  | { started: true; run: SyncRunView; expiredRun?: SyncRunView }
  // This request already started `run` (which may have finished since).
  | { started: false; sameRequest: true; run: SyncRunView }
  // Another run of the connection and stream is running.
  | { started: false; sameRequest: false; activeRun: SyncRunView };

/** Deltas, except `total`, which replaces the known total when given. */
export interface ProgressUpdate extends Partial<RecordCounts> {
  done?: number;
  total?: number;
}

export type RecordOutcomeInput = { entityType: string; recordKey: string } & (
  | { outcome: 'failed'; error: string }
  | { outcome: Exclude<RecordOutcome, 'failed'>; error?: string }
);

export interface SyncRunRecordView {
  runId: string;
  entityType: string;
  recordKey: string;
  outcome: RecordOutcome;
  error: string | null;
  at: Date;
}

export interface ListRunsQuery {
  connectionId?: string;
  stream?: string;
  limit: number;
  /** Only runs started before this instant (the previous page's last startedAt). */
  before?: Date;
}

/** Thrown when a run is no longer running under its caller: its lease was taken over, or it finished. */
export interface StreamFreshness {
  connectionId: string;
  stream: string;
  /** Of the newest run. */
  integrationId: string | null;
  /** Everything the source changed before this was read; null while no run has succeeded. */
  lastSucceededStartedAt: Date | null;
  firstStartedAt: Date;
}

export class SyncRunLeaseLostError extends Error {
  constructor(readonly runId: string) {
    super(`sync run ${runId} is no longer running for this worker (lease taken over, or run finished): stop`);
    this.name = 'SyncRunLeaseLostError';
  }
}

export const EXPIRED_LEASE_ERROR = 'worker stopped before the run finished (lease expired)';
const START_ATTEMPTS = 3;
const MAX_PAGE = 1000;

interface SyncRunRow extends Omit<SyncRunView, 'progress' | 'counts'> {
  progressDone: number;
  progressTotal: number | null;
  createdCount: number;
  updatedCount: number;
  skippedCount: number;
  failedCount: number;
}

const RUN_COLUMNS = `
  id, connection_id AS "connectionId", stream, integration_id AS "integrationId", request_id AS "requestId",
  reason, state, started_at AS "startedAt", finished_at AS "finishedAt", lease_owner AS "leaseOwner",
  lease_expires_at AS "leaseExpiresAt", progress_done AS "progressDone", progress_total AS "progressTotal",
  created_count AS "createdCount", updated_count AS "updatedCount", skipped_count AS "skippedCount",
  failed_count AS "failedCount", error, revision`;

const RECORD_COLUMNS = `
  run_id AS "runId", entity_type AS "entityType", record_key AS "recordKey", outcome, error, at`;

const COUNTER_COLUMNS = new Map<RecordOutcome, string>([
  ['created', 'created_count'],
  ['updated', 'updated_count'],
  ['skipped', 'skipped_count'],
  ['failed', 'failed_count'],
]);

const FINISHED_STATES: readonly FinishedRunState[] = ['succeeded', 'failed', 'cancelled'];

/** SQL for "now plus the lease", the lease in milliseconds being the parameter `param` (e.g. '$3'). */
function leaseExpiry(param: string): string {
  return `now() + ${param}::float8 * interval '1 millisecond'`;
}

/** Sync runs: single flight per connection and stream, an expiring lease, progress and per-record outcomes. */
export class SyncRuns {
  private readonly dataSource: DataSource;
  private readonly manager: EntityManager;
  private readonly runs: string;
  private readonly records: string;

  constructor(dataSource: DataSource) {
    this.dataSource = dataSource;
    this.manager = dataSource.manager;
    this.runs = entityTable(this.manager, SyncRunEntity);
    this.records = entityTable(this.manager, SyncRunRecordEntity);
  }

  /**
   * Starts a run unless one is already running for the connection and stream (the database's partial
   * unique index decides, so concurrent starts cannot both win). A running run whose lease expired is
   * first marked failed, so a crashed worker never blocks its stream for longer than one lease.
   */
  async start(input: StartRunInput): Promise<StartRunResult> {
    assertPositiveInteger('leaseMs', input.leaseMs);
    // Retried only when the run that blocked the insert finished before we could read it.
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const result = await this.dataSource.transaction((manager) => this.tryStart(manager, input));
      if (result) return result;
    }
    throw new Error(`could not start or find a run of ${input.connectionId}/${input.stream}`);
  }

  /** Extends the lease. Throws SyncRunLeaseLostError when the run is no longer ours: stop at once. */
  async heartbeat(runId: string, owner: string, leaseMs: number): Promise<SyncRunView> {
    assertPositiveInteger('leaseMs', leaseMs);
    return this.updateRunning(
      runId,
      `UPDATE ${this.runs} SET lease_expires_at = ${leaseExpiry('$3')}
       WHERE id = $1 AND lease_owner = $2 AND state = 'running'
       RETURNING ${RUN_COLUMNS}`,
      [runId, owner, leaseMs],
    );
  }

  /** Adds the given deltas to done and the counters, and sets total when given. */
  async progress(runId: string, update: ProgressUpdate): Promise<SyncRunView> {
    const deltas = [update.done, update.created, update.updated, update.skipped, update.failed].map((value) =>
      assertCount('progress delta', value ?? 0),
    );
    if (update.total !== undefined) assertCount('total', update.total);
    return this.updateRunning(
      runId,
      `UPDATE ${this.runs} SET
         progress_done = progress_done + $2, created_count = created_count + $3,
         updated_count = updated_count + $4, skipped_count = skipped_count + $5,
         failed_count = failed_count + $6, progress_total = COALESCE($7, progress_total),
         revision = revision + 1
       WHERE id = $1 AND state = 'running'
       RETURNING ${RUN_COLUMNS}`,
      [runId, ...deltas, update.total ?? null],
    );
  }

  /**
   * Keeps one record's outcome (with its error) for the run and adds it to the matching count, in one
   * statement. `progress.done` is not touched: it moves only with progress().
   */
  async recordOutcome(runId: string, input: RecordOutcomeInput): Promise<SyncRunView> {
    return this.recordOutcomes(runId, [input]);
  }

  /** Records a page's outcomes in one statement: their counters move and the records are kept together. */
  async recordOutcomes(runId: string, inputs: readonly RecordOutcomeInput[]): Promise<SyncRunView> {
    const counts = new Map<string, number>([...COUNTER_COLUMNS.values()].map((column) => [column, 0]));
    for (const input of inputs) {
      const counter = COUNTER_COLUMNS.get(input.outcome);
      if (!counter) throw new RangeError(`unknown record outcome ${JSON.stringify(input.outcome)}`);
      if (input.outcome === 'failed' && !input.error) throw new RangeError('a failed record needs its error');
      counts.set(counter, (counts.get(counter) ?? 0) + 1);
    }
    const columns = [...counts.keys()];
    const increments = columns.map((column, index) => `${column} = ${column} + $${index + 2}`).join(', ');
    const arrays = columns.length + 2;
    return this.updateRunning(
      runId,
      `WITH run AS (
         UPDATE ${this.runs} SET ${increments}, revision = revision + 1
         WHERE id = $1 AND state = 'running'
         RETURNING *
       ), recorded AS (
         INSERT INTO ${this.records} (run_id, entity_type, record_key, outcome, error)
         SELECT run.id, o.entity_type, o.record_key, o.outcome, o.error
         FROM run, unnest($${arrays}::text[], $${arrays + 1}::text[], $${arrays + 2}::text[], $${arrays + 3}::text[])
           WITH ORDINALITY AS o(entity_type, record_key, outcome, error, position)
         ORDER BY o.position
       )
       SELECT ${RUN_COLUMNS} FROM run`,
      [
        runId,
        ...columns.map((column) => counts.get(column) ?? 0),
        inputs.map((input) => input.entityType),
        inputs.map((input) => input.recordKey),
        inputs.map((input) => input.outcome),
        inputs.map((input) => input.error ?? null),
      ],
    );
  }

  /** Ends the run. Throws SyncRunLeaseLostError if it already ended (e.g. failed by a takeover). */
  async finish(runId: string, outcome: { state: FinishedRunState; error?: string }): Promise<SyncRunView> {
    if (!FINISHED_STATES.includes(outcome.state)) {
      throw new RangeError(`a run finishes as succeeded, failed or cancelled, not ${JSON.stringify(outcome.state)}`);
    }
    return this.updateRunning(
      runId,
      `UPDATE ${this.runs} SET state = $2, error = $3, finished_at = now(), revision = revision + 1
       WHERE id = $1 AND state = 'running'
       RETURNING ${RUN_COLUMNS}`,
      [runId, outcome.state, outcome.error ?? null],
    );
  }

  async get(runId: string): Promise<SyncRunView | undefined> {
    if (!isUuid(runId)) return undefined;
    const row = await firstRow<SyncRunRow>(this.manager, `SELECT ${RUN_COLUMNS} FROM ${this.runs} WHERE id = $1`, [
      runId,
    ]);
    return row && toView(row);
  }

  /** Runs, newest first. */
  async list(query: ListRunsQuery): Promise<SyncRunView[]> {
    assertPageSize(query.limit);
    const { rows } = await runSql<SyncRunRow>(
      this.manager,
      `SELECT ${RUN_COLUMNS} FROM ${this.runs}
       WHERE ($1::text IS NULL OR connection_id = $1)
         AND ($2::text IS NULL OR stream = $2)
         AND ($3::timestamptz IS NULL OR started_at < $3)
       ORDER BY started_at DESC, id DESC
       LIMIT $4`,
      [query.connectionId ?? null, query.stream ?? null, query.before ?? null, query.limit],
    );
    return rows.map(toView);
  }

  /** Per connection and stream: when its newest successful run started, for the sync lag metric. */
  async freshness(): Promise<StreamFreshness[]> {
    const { rows } = await runSql<StreamFreshness>(
      this.manager,
      `SELECT connection_id AS "connectionId", stream,
              (array_agg(integration_id ORDER BY started_at DESC))[1] AS "integrationId",
              max(started_at) FILTER (WHERE state = 'succeeded') AS "lastSucceededStartedAt",
              min(started_at) AS "firstStartedAt"
       FROM ${this.runs}
       GROUP BY connection_id, stream
       ORDER BY connection_id, stream`,
    );
    return rows;
  }

  /** The latest run of the stream that is no longer running. */
  async lastFinished(connectionId: string, stream: string): Promise<SyncRunView | undefined> {
    // Runs of one stream never overlap, so the last started of the finished runs is the last finished.
    const row = await firstRow<SyncRunRow>(
      this.manager,
      `SELECT ${RUN_COLUMNS} FROM ${this.runs}
       WHERE connection_id = $1 AND stream = $2 AND state <> 'running'
       ORDER BY started_at DESC
       LIMIT 1`,
      [connectionId, stream],
    );
    return row && toView(row);
  }

  /** A run's per-record outcomes in the order they were recorded. */
  async recordsOf(
    runId: string,
    filter: { outcome?: RecordOutcome; limit?: number } = {},
  ): Promise<SyncRunRecordView[]> {
    const limit = filter.limit ?? MAX_PAGE;
    assertPageSize(limit);
    if (!isUuid(runId)) return [];
    const { rows } = await runSql<SyncRunRecordView>(
      this.manager,
      `SELECT ${RECORD_COLUMNS} FROM ${this.records}
       WHERE run_id = $1 AND ($2::text IS NULL OR outcome = $2)
       ORDER BY id
       LIMIT $3`,
      [runId, filter.outcome ?? null, limit],
    );
    return rows;
  }

  private async tryStart(manager: EntityManager, input: StartRunInput): Promise<StartRunResult | undefined> {
    const expired = await firstRow<SyncRunRow>(
      manager,
      `UPDATE ${this.runs}
       SET state = 'failed', finished_at = now(), error = $3, revision = revision + 1
       WHERE connection_id = $1 AND stream = $2 AND state = 'running' AND lease_expires_at < now()
       RETURNING ${RUN_COLUMNS}`,
      [input.connectionId, input.stream, EXPIRED_LEASE_ERROR],
    );
    // DO NOTHING covers both unique indexes (running run, same request). A conflicting insert of a
    // concurrent start waits for that transaction, so the reads below see its run.
    const started = await firstRow<SyncRunRow>(
      manager,
      `INSERT INTO ${this.runs}
         (connection_id, stream, integration_id, request_id, reason, state, lease_owner, lease_expires_at)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, ${leaseExpiry('$7')})
       ON CONFLICT DO NOTHING
       RETURNING ${RUN_COLUMNS}`,
      [
        input.connectionId,
        input.stream,
        input.integrationId ?? null,
        input.requestId ?? null,
        input.reason,
        input.owner,
        input.leaseMs,
      ],
    );
    if (started) {
      const run = toView(started);
      return expired ? { started: true, run, expiredRun: toView(expired) } : { started: true, run };
    }

    if (input.requestId !== undefined) {
      const sameRequest = await firstRow<SyncRunRow>(
        manager,
        `SELECT ${RUN_COLUMNS} FROM ${this.runs} WHERE connection_id = $1 AND stream = $2 AND request_id = $3`,
        [input.connectionId, input.stream, input.requestId],
      );
      if (sameRequest) return { started: false, sameRequest: true, run: toView(sameRequest) };
    }
    const active = await firstRow<SyncRunRow>(
      manager,
      `SELECT ${RUN_COLUMNS} FROM ${this.runs} WHERE connection_id = $1 AND stream = $2 AND state = 'running'`,
      [input.connectionId, input.stream],
    );
    return active && { started: false, sameRequest: false, activeRun: toView(active) };
  }

  private async updateRunning(runId: string, sql: string, params: unknown[]): Promise<SyncRunView> {
    const row = isUuid(runId) ? await firstRow<SyncRunRow>(this.manager, sql, params) : undefined;
    if (!row) throw new SyncRunLeaseLostError(runId);
    return toView(row);
  }
}

function toView(row: SyncRunRow): SyncRunView {
  const { progressDone, progressTotal, createdCount, updatedCount, skippedCount, failedCount, ...run } = row;
  return {
    ...run,
    progress: { done: progressDone, total: progressTotal },
    counts: { created: createdCount, updated: updatedCount, skipped: skippedCount, failed: failedCount },
  };
}

function assertCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function assertPageSize(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}, got ${limit}`);
  }
}
