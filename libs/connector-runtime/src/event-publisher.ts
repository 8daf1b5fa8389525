import { EVENTS, parseEnvelope, type ConnectorName, type EventSubject } from '@junction/contracts';
import type { Bus, PublishResult } from '@junction/messaging';

export interface EventFields {
  id: string;
  connectionId: string;
  occurredAt: string;
  data: unknown;
  integrationId?: string;
  causationId?: string;
  correlationId?: string;
}

/** Publishes this connector's events, each checked against its contract first (a ContractViolation names the paths). */
export class EventPublisher {
  constructor(
    private readonly bus: Bus,
    private readonly connector: ConnectorName,
  ) {}

  /** The envelope as its consumers will parse it; throws a ContractViolation when it breaks the contract. */
  envelope(subject: EventSubject, fields: EventFields): { id: string } {
    const { id, connectionId, occurredAt, data, integrationId, causationId, correlationId } = fields;
    const raw = {
      id,
      type: subject,
      version: EVENTS[subject].version,
      source: { connector: this.connector, connectionId },
      ...(integrationId ? { integrationId } : {}),
      ...(causationId ? { causationId } : {}),
      ...(correlationId ? { correlationId } : {}),
      occurredAt,
      data,
    };
    return parseEnvelope(subject, raw).envelope;
  }

  publishEnvelope(subject: EventSubject, envelope: { id: string }): Promise<PublishResult> {
    return this.bus.publish(subject, envelope);
  }

  publish(subject: EventSubject, fields: EventFields): Promise<PublishResult> {
    return this.publishEnvelope(subject, this.envelope(subject, fields));
  }
}

