import type { EVENTS } from '@junction/contracts';
import type { z } from 'zod';
import type { IntegrationOf } from '../integrations/integration';
import type { IntegrationKind, Side } from '../integrations/integration-kinds';
import type { LinkedRecord, RecordLinks } from '../links/record-links';
import type { PlannedCommand } from './planned-command';

/** The source events the mapping service turns into commands. */
export type RoutedSubject =
  | 'deal.won'
  | 'customer.created'
  | 'contact.created'
  | 'product.created'
  | 'customer.updated'
  | 'contact.updated'
  | 'product.updated'
  | 'order.created'
  | 'order.updated'
  | 'order.status.changed';

export type EventOf<S extends RoutedSubject> = z.output<(typeof EVENTS)[S]['envelope']>;

/** What a rule may look up while planning; bound to the routing transaction. */
export interface PlanContext {
  links: Pick<RecordLinks, 'sourceKeysOf' | 'isWritten'>;
}

/**
 * The rule cannot route the event yet: the event waits, shown with this reason, and is planned again when the
 * integration is saved and, with `awaited`, as soon as that record's link is recorded (its record.written).
 */
export interface Waiting {
  waiting: string;
  /** A record of one of the integration's connections whose link the rule needs. */
  awaited?: LinkedRecord;
}

/** E.g. an order in a status the map does not cover yet. */
export function waitUntilSettingsChange(reason: string): Waiting {
  return { waiting: reason };
}

/** E.g. a change of an order whose creation Junction has not reported yet; the link is found with links.sourceKeysOf. */
export function waitUntilLinked(reason: string, awaited: LinkedRecord): Waiting {
  return { waiting: reason, awaited };
}

export function isWaiting(planned: PlannedCommand[] | Waiting): planned is Waiting {
  return !Array.isArray(planned);
}

/** How one kind of integration reacts to one event arriving from one of its sides. */
export interface IntegrationRule<S extends RoutedSubject, K extends IntegrationKind = IntegrationKind> {
  kind: K;
  /** The side of the integration the event must come from. */
  from: Side;
  /** The commands the integration's settings call for; none when a gate or filter says no; Waiting when it cannot tell yet. */
  plan(
    event: EventOf<S>,
    integration: IntegrationOf<K>,
    context: PlanContext,
  ): PlannedCommand[] | Waiting | Promise<PlannedCommand[] | Waiting>;
}

export interface EventRoute<S extends RoutedSubject = RoutedSubject> {
  subject: S;
  rules: Array<IntegrationRule<S, IntegrationKind>>;
}

/** Keeps a rule's integration typed by its kind while routes hold rules of several kinds. */
export function integrationRule<S extends RoutedSubject, K extends IntegrationKind>(
  rule: IntegrationRule<S, K>,
): IntegrationRule<S, IntegrationKind> {
  return rule as unknown as IntegrationRule<S, IntegrationKind>;
}

/** One durable consumer per subject (nats-server 2.9 allows one filter per consumer). */
export function durableFor(subject: RoutedSubject): string {
  return `mapping-${subject.replace(/\./g, '-')}`;
}

/** The source record's id: orders, deals and the like name it sourceId, a status change its order's. */
export function recordIdOf(data: unknown): string | undefined {
  const { sourceId, orderSourceId } = data as { sourceId?: unknown; orderSourceId?: unknown };
  const id = sourceId ?? orderSourceId;
  return typeof id === 'string' ? id : undefined;
}
