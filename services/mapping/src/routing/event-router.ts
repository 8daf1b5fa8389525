import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent } from '@junction/contracts';
import { Inbox } from '@junction/connector-kit';
import { Bus } from '@junction/messaging';
import { LOGGER } from '@junction/service-kit';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { IntegrationsStore } from '../integrations/integrations.store';
import { RecordLinks } from '../links/record-links';
import { WaitingEvents } from '../waiting/waiting-events';
import { durableFor, type EventOf, type EventRoute, type RoutedSubject } from './event-route';
import { EVENT_ROUTES } from './event-routes';
import { planCommands } from './plan-commands';

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
      });
    }
  }

  private async route(route: EventRoute, event: EventOf<RoutedSubject>): Promise<void> {
    const outcome = await this.inbox.runOnce(durableFor(route.subject), event.id, async (manager) => {
      const integrations = await this.integrations.usingConnection(
        event.source.connector,
        event.source.connectionId,
        { enabledOnly: true },
        manager,
      );
      const plan = await planCommands(route, event, integrations, { links: new RecordLinks(manager) });
      for (const command of plan.commands) await this.bus.publish(command.type, command);
      const waiting = new WaitingEvents(manager);
      for (const { integration, reason } of plan.waiting) {
        await waiting.park(integration, event, reason);
        this.logger.info({ eventId: event.id, integrationId: integration.id, reason }, 'event waits for the integration');
      }
      return { commands: plan.commands.length, waiting: plan.waiting.length };
    });
    this.logger.debug({ subject: route.subject, eventId: event.id, outcome }, 'event routed');
  }
}
