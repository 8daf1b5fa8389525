import type { SyncRuns, SyncRunView } from '@junction/connector-kit';
import type { Envelope, SyncRequested } from '@junction/contracts';
import { PermanentError } from '@junction/messaging';
import type { Logger } from '@junction/telemetry';
import type { ConnectionStore } from './connection-store';
import type { ConnectorDefinition } from './definition';
import type { EventPublisher } from './event-publisher';
import { publishRunUpdate } from './run-updates';
import type { RunAssignment, SyncRunner } from './sync-runner';

/**
 * Turns `sync.requested` into sync runs. The request is acked once its run is started; the run itself goes on in
 * the background with its lease, so no message is held for the hours a first sync can take. One run per
 * connection and stream: a request arriving while one runs starts nothing (the running one carries on).
 */
export class SyncRequests<Settings, Credentials> {
  private readonly running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly definition: ConnectorDefinition<Settings, Credentials>,
    private readonly store: ConnectionStore<Settings, Credentials>,
    private readonly syncRuns: SyncRuns,
    private readonly runner: SyncRunner<Settings, Credentials>,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
    private readonly lease: { owner: string; leaseMs: number },
  ) {}

  /** Runs in progress in this process. */
  get activeRuns(): number {
    return this.running.size;
  }

  async handle(envelope: Envelope<SyncRequested>): Promise<void> {
    const request = envelope.data;
    // One subject carries every connector's requests; each connector's durable skips the others'.
    if (request.connector !== this.definition.name) return;
    const stream = this.definition.streams[request.stream];
    if (!stream) {
      const known = Object.keys(this.definition.streams).join(', ') || 'none';
      throw new PermanentError(`${this.definition.name} has no stream '${request.stream}' (streams: ${known})`);
    }
    if (!(await this.store.view(request.connectionId))) {
      throw new PermanentError(`unknown connection ${request.connectionId}`);
    }

    const fields = {
      requestId: request.requestId,
      integrationId: request.integrationId,
      connectionId: request.connectionId,
      stream: request.stream,
    };
    const start = await this.syncRuns.start({
      connectionId: request.connectionId,
      stream: request.stream,
      integrationId: request.integrationId,
      requestId: request.requestId,
      reason: request.reason,
      owner: this.lease.owner,
      leaseMs: this.lease.leaseMs,
    });
    if (!start.started) {
      const runId = start.sameRequest ? start.run.id : start.activeRun.id;
      const why = start.sameRequest ? 'sync request already handled' : 'a sync of this stream is already running';
      this.logger.info({ ...fields, runId }, `${why}; nothing started`);
      return;
    }
    this.launch({ run: start.run, streamName: request.stream, stream, request: envelope });
    this.logger.info({ ...fields, runId: start.run.id, fullResync: request.fullResync }, 'sync run started');
    if (start.expiredRun) await this.reportExpired(start.expiredRun, envelope.id);
  }

  /** Stops every run at its next page boundary and waits for them; their leases then expire. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.running);
  }

  private launch(assignment: RunAssignment<Settings, Credentials>): void {
    const run = this.runner
      .execute(assignment, this.stopping.signal)
      .catch((error: unknown) => this.logger.error({ err: error, runId: assignment.run.id }, 'sync run crashed'))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  /** The crashed run this start replaced is failed now; say so, without failing the request over it. */
  private async reportExpired(expired: SyncRunView, causationId: string): Promise<void> {
    const fields = { runId: expired.id, stream: expired.stream };
    this.logger.warn(fields, 'the previous run had lost its worker; marked failed');
    try {
      await publishRunUpdate(this.events, this.definition.name, expired, causationId);
    } catch (error) {
      this.logger.warn({ err: error, runId: expired.id }, 'could not publish the failed state of the expired run');
    }
  }
}
