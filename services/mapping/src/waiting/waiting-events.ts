import { quoteIdent, schemaOf } from '@junction/connector-kit';
import { parseEvent } from '@junction/contracts';
import type { Bus } from '@junction/messaging';
import { activeTraceId } from '@junction/telemetry';
import { IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import type { Integration } from '../integrations/integration';
import type { IntegrationsStore } from '../integrations/integrations.store';
import { linkKeyOf, RecordLinks, type LinkedRecord } from '../links/record-links';
import type { EventOf, RoutedSubject } from '../routing/event-route';
import { EVENT_ROUTES } from '../routing/event-routes';
import { planCommands, type PlanWait } from '../routing/plan-commands';
import { publishCommands } from '../routing/planned-command';
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

  private get table(): string {
    return `${quoteIdent(schemaOf(this.manager.connection))}.${quoteIdent('waiting_events')}`;
  }

  /** Parks the event for the integration (again: a redelivery only refreshes the reason and what it awaits). */
  async park(event: EventOf<RoutedSubject>, { integration, reason, awaited }: PlanWait): Promise<void> {
    await this.manager.query(
      `INSERT INTO ${this.table} (integration_id, event_id, subject, envelope, correlation_id, reason, trace_id, awaited_link)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
       ON CONFLICT (integration_id, event_id) DO UPDATE SET reason = EXCLUDED.reason, awaited_link = EXCLUDED.awaited_link`,
      // An event published from outside starts its own chain. The trace is the event's, whose delivery this is.
      [
        integration.id,
        event.id,
        event.type,
        JSON.stringify(event),
        event.correlationId ?? event.id,
        reason,
        activeTraceId() ?? null,
        awaited ? linkKeyOf(awaited) : null,
      ],
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
    return this.replan(rows, [integration], bus);
  }

  /** Whether an event waits for the record's link: one index look-up, after RecordLinks.record. */
  async awaits(record: LinkedRecord): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(`SELECT 1 FROM ${this.table} WHERE awaited_link = $1 LIMIT 1`, [linkKeyOf(record)]);
    return rows.length > 0;
  }

  /**
   * Plans the events waiting for the record's link again, oldest first, once the link is recorded (RecordLinks.record),
   * and publishes the commands of those that no longer wait. Call it in a transaction: their rows stay locked until it
   * ends, so a concurrent give-up cannot take them too. The events of a disabled integration wait on, until it is
   * saved. Returns how many left.
   */
  async releaseLinked(record: LinkedRecord, integrations: IntegrationsStore, bus: Bus): Promise<number> {
    const rows = await this.manager.find(WaitingEventEntity, {
      where: { awaitedLink: linkKeyOf(record) },
      order: { since: 'ASC', eventId: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    if (rows.length === 0) return 0;
    // An event waits for a record of one of its integration's connections.
    const enabled = await integrations.usingConnection(record.connector, record.connectionId, { enabledOnly: true }, this.manager);
    return this.replan(rows, enabled, bus);
  }

  /**
   * Forgets (up to `limit` of) the events that have waited for a link since before `waitedSince`, and returns them: the
   * caller reports them given up in this transaction. A row another transaction holds (being released) is left alone.
   */
  async giveUp(waitedSince: Date, limit: number): Promise<WaitingEventEntity[]> {
    const rows = await this.manager.find(WaitingEventEntity, {
      where: { awaitedLink: Not(IsNull()), since: LessThan(waitedSince) },
      order: { since: 'ASC', eventId: 'ASC' },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
    for (const { integrationId, eventId } of rows) await this.manager.delete(WaitingEventEntity, { integrationId, eventId });
    return rows;
  }

  /** Plans each row again for its integration among `integrations` (the others wait on); returns how many left. */
  private async replan(rows: WaitingEventEntity[], integrations: readonly Integration[], bus: Bus): Promise<number> {
    let released = 0;
    for (const row of rows) {
      const integration = integrations.find((candidate) => candidate.id === row.integrationId);
      if (!integration) continue;
      const route = EVENT_ROUTES.find((candidate) => candidate.subject === row.subject);
      if (!route) throw new Error(`waiting event ${row.eventId} has subject '${row.subject}', which mapping does not route`);
      const event = parseEvent(route.subject, row.envelope) as EventOf<RoutedSubject>;
      const plan = await planCommands(route, event, [integration], { links: new RecordLinks(this.manager) });
      const key = { integrationId: integration.id, eventId: row.eventId };
      if (plan.waiting.length > 0) {
        const [{ reason, awaited }] = plan.waiting;
        await this.manager.update(WaitingEventEntity, key, { reason, awaitedLink: awaited ? linkKeyOf(awaited) : null });
        continue;
      }
      await publishCommands(bus, plan.commands);
      await this.manager.delete(WaitingEventEntity, key);
      released++;
    }
    return released;
  }
}
