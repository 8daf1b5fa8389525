import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent } from '@junction/contracts';
import { Inbox } from '@junction/connector-kit';
import { Bus } from '@junction/messaging';
import { CONFIG, LOGGER } from '@junction/service-kit';
import { JUNCTION_ATTRIBUTES } from '@junction/telemetry';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { MappingConfig } from '../config';
import { IntegrationsStore } from '../integrations/integrations.store';
import { RecordLinks } from '../links/record-links';
import { WaitingEvents } from '../waiting/waiting-events';
import { durableFor, recordIdOf, type EventOf, type EventRoute, type RoutedSubject } from './event-route';
import { EVENT_ROUTES } from './event-routes';
import { planCommands } from './plan-commands';
import { publishCommands } from './planned-command';

/**
 * Consumes the source events and publishes the commands the enabled integrations' rules call for. Each event is
 * handled once per consumer (the inbox dedupes replays); the commands are published inside the inbox transaction
 * with deterministic ids, so a crash after publishing only republishes what JetStream and the targets dedupe.
 */
@Injectable()
export class EventRouter implements OnApplicationBootstrap {
  private readonly inbox: Inbox;

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IntegrationsStore) private readonly integrations: IntegrationsStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: MappingConfig,
  ) {
    this.inbox = new Inbox(dataSource);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const route of EVENT_ROUTES) {
      await this.bus.consume({
        stream: 'EVENTS',
        durable: durableFor(route.subject),
        filterSubject: route.subject,
        parse: (raw) => parseEvent(route.subject, raw) as EventOf<RoutedSubject>,
        handle: (event) => this.route(route, event),
        concurrency: this.config.EVENT_CONCURRENCY,
      });
    }
  }

  private async route(route: EventRoute, event: EventOf<RoutedSubject>): Promise<void> {
    // On the delivery's span, which continues the source record's trace into the commands.
    const span = trace.getActiveSpan();
    const sourceId = recordIdOf(event.data);
    span?.setAttributes({
      [JUNCTION_ATTRIBUTES.connector]: event.source.connector,
      [JUNCTION_ATTRIBUTES.connection]: event.source.connectionId,
      [JUNCTION_ATTRIBUTES.entityType]: route.subject.split('.')[0],
      ...(sourceId ? { [JUNCTION_ATTRIBUTES.recordKey]: sourceId } : {}),
    });
    let integrationIds: string[] = [];
    const outcome = await this.inbox.runOnce(durableFor(route.subject), event.id, async (manager) => {
      const integrations = await this.integrations.usingConnection(
        event.source.connector,
        event.source.connectionId,
        { enabledOnly: true },
        manager,
      );
      integrationIds = integrations.map((integration) => integration.id);
      const plan = await planCommands(route, event, integrations, { links: new RecordLinks(manager) });
      await publishCommands(this.bus, plan.commands);
      const waiting = new WaitingEvents(manager);
      for (const wait of plan.waiting) {
        await waiting.park(event, wait);
        this.logger.info({ eventId: event.id, integrationId: wait.integration.id, reason: wait.reason }, 'event waits for the integration');
      }
      return { commands: plan.commands.length, waiting: plan.waiting.length };
    });
    // Usually one integration; a connection shared by several names them all.
    if (integrationIds.length > 0) span?.setAttribute(JUNCTION_ATTRIBUTES.integration, integrationIds.join(','));
    const fields = {
      subject: route.subject,
      eventId: event.id,
      integrationId: integrationIds.join(',') || undefined,
      connectionId: event.source.connectionId,
      sourceId,
    };
    if (outcome.status === 'duplicate') {
      span?.setAttribute(JUNCTION_ATTRIBUTES.outcome, 'duplicate');
      this.logger.info(fields, 'event already routed; nothing to do');
      return;
    }
    const { commands, waiting } = outcome.result;
    const routed = waiting > 0 ? 'waiting' : commands > 0 ? 'routed' : 'ignored';
    span?.setAttributes({ [JUNCTION_ATTRIBUTES.outcome]: routed, 'junction.commands': commands });
    this.logger.info({ ...fields, commands, waiting }, 'event routed');
  }
}
