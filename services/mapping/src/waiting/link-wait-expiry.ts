import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { messageId, sourceKey, type Envelope } from '@junction/contracts';
import { CONFIG, LOGGER } from '@junction/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { MappingConfig } from '../config';
import type { RecordFailureEntity } from '../failures/record-failure.entity';
import { RecordFailures } from '../failures/record-failures';
import { connectionOn, connectorOn } from '../integrations/integration';
import { IntegrationsStore } from '../integrations/integrations.store';
import { recordIdOf } from '../routing/event-route';
import { comesFrom } from '../routing/plan-commands';
import type { WaitingEventEntity } from './waiting-event.entity';
import { WaitingEvents } from './waiting-events';

// Events given up per transaction; a sweep goes on while a batch comes back full.
const BATCH = 100;

/**
 * Gives up the events that waited longer than LINK_WAIT_MS for a record's link, i.e. whose record Junction never
 * linked after all (a RetailCRM order another Junction created with the same externalId): each leaves the Waiting
 * list and becomes a failure of its integration (code `link_missing`: failed writes in the runs API and the console,
 * the records look-up) with a warning logged. Every replica sweeps; row locks give each event to one of them.
 */
@Injectable()
export class LinkWaitExpiry implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IntegrationsStore) private readonly integrations: IntegrationsStore,
    @Inject(CONFIG) private readonly config: MappingConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.sweepNow(), this.config.LINK_WAIT_SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private sweepNow(): void {
    this.sweeping ??= this.sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.warn({ err }, 'could not give up the events that waited too long for a link; trying again'))
      .finally(() => {
        this.sweeping = undefined;
      });
  }

  /** Gives up every event that has waited for a link for longer than LINK_WAIT_MS; returns how many. */
  async sweep(): Promise<number> {
    const waitedSince = new Date(Date.now() - this.config.LINK_WAIT_MS);
    let given = 0;
    for (;;) {
      const rows = await this.dataSource.transaction(async (manager) => {
        const expired = await new WaitingEvents(manager).giveUp(waitedSince, BATCH);
        const failures = new RecordFailures(manager);
        for (const row of expired) {
          const failure = await this.failureOf(row);
          if (failure) await failures.store(failure);
        }
        return expired;
      });
      for (const { integrationId, eventId, subject, reason, since } of rows) {
        this.logger.warn({ integrationId, eventId, subject, reason, since }, 'gave up an event that waited too long for a link');
      }
      given += rows.length;
      if (rows.length < BATCH) return given;
    }
  }

  /**
   * The event as a failed write to the integration's other side, under its record's source key (so the records look-up
   * finds it by the vendor id); undefined when the integration is gone.
   */
  private async failureOf(row: WaitingEventEntity): Promise<RecordFailureEntity | undefined> {
    // Read without the transaction: its row lock would contend with a save of the integration, which releases waits.
    const integration = await this.integrations.get(row.integrationId);
    if (!integration) return undefined;
    const event = row.envelope as unknown as Envelope;
    const side = comesFrom(event, integration, 'source') ? 'target' : 'source';
    const entityType = row.subject.split('.')[0];
    const waitedMs = Date.now() - row.since.getTime();
    return {
      commandId: messageId(row.eventId, integration.id, 'link-wait'),
      integrationId: integration.id,
      correlationId: row.correlationId,
      connector: connectorOn(integration.kind, side),
      connectionId: connectionOn(integration, side),
      entityType,
      sourceKey: sourceKey(event.source.connector, event.source.connectionId, entityType, recordIdOf(event.data) ?? row.eventId),
      code: 'link_missing',
      message: `${row.reason}; given up after ${formatWait(waitedMs)} without it`,
      retryable: false,
      failedAt: new Date(),
      traceId: row.traceId,
    };
  }
}

function formatWait(ms: number): string {
  return ms < 2 * 3_600_000 ? `${Math.max(1, Math.round(ms / 60_000))} min` : `${Math.round(ms / 3_600_000)} h`;
}
