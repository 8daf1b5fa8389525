import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorName, SyncReason } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ApiError } from '../http/api-error';
import { RunViews } from '../runs/run-views';
import type { SyncRunViewEntity } from '../runs/sync-run-view.entity';
import { WaitingEvents } from '../waiting/waiting-events';
import { schedulesOf, type Integration } from './integration';
import { IntegrationChecks } from './integration-checks';
import { scheduleUpdated, syncRequests } from './integration-messages';
import { IntegrationConflictError, IntegrationsStore, type IntegrationDraft } from './integrations.store';

export interface SyncStarted {
  requestId: string;
  streams: Array<{ connector: ConnectorName; connectionId: string; stream: string }>;
  /** Runs already going: a request for their stream starts nothing new, these runs carry on. */
  running: SyncRunViewEntity[];
}

/**
 * Integration lifecycle. Every save publishes the integration's schedules inside the database transaction: a
 * failed publish rolls the save back, and the revision in the message id dedupes a retried one.
 */
@Injectable()
export class IntegrationsService {
  constructor(
    @Inject(IntegrationsStore) private readonly store: IntegrationsStore,
    @Inject(IntegrationChecks) private readonly checks: IntegrationChecks,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(RunViews) private readonly runViews: RunViews,
  ) {}

  list(): Promise<Integration[]> {
    return this.store.list();
  }

  async get(id: string): Promise<Integration> {
    const integration = await this.store.get(id);
    if (!integration) throw ApiError.notFound(`integration '${id}'`);
    return integration;
  }

  async create(draft: IntegrationDraft): Promise<Integration> {
    await this.checks.verify(draft);
    return this.save(async (manager) => this.publishSchedules(await this.store.insert(manager, draft)));
  }

  async update(id: string, draft: IntegrationDraft): Promise<Integration> {
    const existing = await this.get(id);
    if (existing.kind !== draft.kind) {
      throw new ApiError('invalid_request', 'the request is not valid', [
        {
          path: 'kind',
          message: `an integration's kind cannot change (it is '${existing.kind}'); create a new integration instead`,
        },
      ]);
    }
    await this.checks.verify(draft);
    return this.save(async (manager) => {
      await this.lock(manager, id);
      const integration = await this.publishSchedules(await this.store.update(manager, id, draft));
      // Events that waited for these settings (an order in a status the map did not cover) go on now.
      if (integration.enabled) await new WaitingEvents(manager).release(integration, this.bus);
      return integration;
    });
  }

  async remove(id: string): Promise<void> {
    await this.store.transaction(async (manager) => {
      const integration = await this.lock(manager, id);
      await this.store.remove(manager, id);
      // The scheduler drops the integration's schedules when it gets an empty set.
      await this.bus.publish('config.schedule.updated', scheduleUpdated(id, integration.revision + 1, [], new Date()));
    });
  }

  /**
   * "Sync now" and "Save and Sync": one sync request per stream the integration pulls. The connector starts a run
   * only where none is going (single flight per connection and stream), so pressing Sync again is harmless; the
   * answer names the runs already going, with their progress. A full resync reads every record from the start.
   */
  async requestSync(
    integration: Integration,
    reason: Extract<SyncReason, 'manual' | 'save_and_sync'>,
    options: { fullResync?: boolean } = {},
  ): Promise<SyncStarted> {
    if (!integration.enabled) throw new ApiError('conflict', `integration '${integration.id}' is disabled; enable it to sync`);
    const requestId = randomUUID();
    const requests = syncRequests(integration, reason, requestId, new Date(), options);
    for (const request of requests) await this.bus.publish('sync.requested', request);
    return {
      requestId,
      streams: requests.map(({ data }) => ({ connector: data.connector, connectionId: data.connectionId, stream: data.stream })),
      running: await this.runViews.running(integration),
    };
  }

  private async save<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.store.transaction(work);
    } catch (error) {
      if (error instanceof IntegrationConflictError) throw new ApiError('conflict', error.message);
      throw error;
    }
  }

  private async lock(manager: EntityManager, id: string): Promise<Integration> {
    const integration = await this.store.get(id, manager);
    if (!integration) throw ApiError.notFound(`integration '${id}'`);
    return integration;
  }

  private async publishSchedules(integration: Integration): Promise<Integration> {
    const envelope = scheduleUpdated(integration.id, integration.revision, schedulesOf(integration), new Date());
    await this.bus.publish('config.schedule.updated', envelope);
    return integration;
  }
}
