import { quoteIdent, schemaOf } from '@junction/connector-kit';
import { parseEvent } from '@junction/contracts';
import type { Bus } from '@junction/messaging';
import { activeTraceId } from '@junction/telemetry';
import type { EntityManager } from 'typeorm';
import type { Integration } from '../integrations/integration';
import { RecordLinks } from '../links/record-links';
import type { EventOf, RoutedSubject } from '../routing/event-route';
import { EVENT_ROUTES } from '../routing/event-routes';
import { planCommands } from '../routing/plan-commands';
import { WaitingEventEntity } from './waiting-event.entity';

export interface WaitingView {
  eventId: string;
  subject: string;
  reason: string;
  since: Date;
  /** The request that started the event's chain: the sync run's request for a pulled event. */
  correlationId: string | null;
}

/** Events integrations could not route yet; bound to the caller's transaction. */
export class WaitingEvents {
  constructor(private readonly manager: EntityManager) {}

  /** Parks the event for the integration (again: a redelivery only refreshes the reason). */
  async park(integration: Integration, event: EventOf<RoutedSubject>, reason: string): Promise<void> {
    const table = `${quoteIdent(schemaOf(this.manager.connection))}.${quoteIdent('waiting_events')}`;
    await this.manager.query(
      `INSERT INTO ${table} (integration_id, event_id, subject, envelope, correlation_id, reason, trace_id)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
       ON CONFLICT (integration_id, event_id) DO UPDATE SET reason = EXCLUDED.reason`,
      // An event published from outside starts its own chain. The trace is the event's, whose delivery this is.
      [integration.id, event.id, event.type, JSON.stringify(event), event.correlationId ?? event.id, reason, activeTraceId() ?? null],
    );
  }

  /** What waits for the integration, oldest first; with `correlationIds`, only what those requests pulled. */
  async of(integrationId: string, correlationIds?: readonly string[]): Promise<WaitingView[]> {
    const query = this.manager
      .createQueryBuilder(WaitingEventEntity, 'waiting')
      .where('waiting.integrationId = :integrationId', { integrationId });
    if (correlationIds) query.andWhere('waiting.correlationId = ANY(:correlationIds)', { correlationIds: [...correlationIds] });
    const rows = await query.orderBy('waiting.since', 'ASC').addOrderBy('waiting.eventId', 'ASC').getMany();
    return rows.map(({ eventId, subject, reason, since, correlationId }) => ({ eventId, subject, reason, since, correlationId }));
  }

  /**
   * Plans every waiting event of the integration again with its settings as saved now, publishes the commands of
   * those that no longer wait and forgets them; the rest keep waiting with the current reason. Command ids are
   * derived from the event, so a release repeated after a crash publishes nothing new. Returns how many left.
   */
  async release(integration: Integration, bus: Bus): Promise<number> {
    const rows = await this.manager.find(WaitingEventEntity, {
      where: { integrationId: integration.id },
      order: { since: 'ASC', eventId: 'ASC' },
    });
    let released = 0;
    for (const row of rows) {
      const route = EVENT_ROUTES.find((candidate) => candidate.subject === row.subject);
      if (!route) throw new Error(`waiting event ${row.eventId} has subject '${row.subject}', which mapping does not route`);
      const event = parseEvent(route.subject, row.envelope) as EventOf<RoutedSubject>;
      const plan = await planCommands(route, event, [integration], { links: new RecordLinks(this.manager) });
      if (plan.waiting.length > 0) {
        await this.manager.update(WaitingEventEntity, { integrationId: integration.id, eventId: row.eventId }, {
          reason: plan.waiting[0].reason,
        });
        continue;
      }
      for (const command of plan.commands) await bus.publish(command.type, command);
      await this.manager.delete(WaitingEventEntity, { integrationId: integration.id, eventId: row.eventId });
      released++;
    }
    return released;
  }
}
