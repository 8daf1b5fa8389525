import { COMMANDS, commandSubject, messageId, type CommandAction, type ConnectorName, type Envelope } from '@junction/contracts';
import type { Bus } from '@junction/messaging';
import type { z } from 'zod';
import { connectionOn, connectorOn, type Integration } from '../integrations/integration';

/** A command a rule asks for; the pipeline turns it into an envelope. */
export type PlannedCommand = {
  [A in CommandAction]: {
    connector: ConnectorName;
    action: A;
    /** Tells apart several commands of one action from one event, e.g. the billing period of an estimate. */
    part: string;
    data: z.input<(typeof COMMANDS)[A]['data']>;
  };
}[CommandAction];

export type CommandEnvelope = z.output<(typeof COMMANDS)[CommandAction]['envelope']>;

/**
 * The command's envelope. Its id is derived from the event, the integration, the action and the part, so
 * handling the same event again (a redelivery after a crash) publishes exactly the same commands.
 */
export function commandEnvelope(event: Envelope, integration: Integration, command: PlannedCommand): CommandEnvelope {
  const contract = COMMANDS[command.action];
  const integrationId = integration.id;
  const side = connectorOn(integration.kind, 'target') === command.connector ? 'target' : 'source';
  return contract.envelope.parse({
    id: messageId(event.id, integrationId, command.action, command.part),
    type: commandSubject(command.connector, command.action),
    version: contract.version,
    source: { connector: 'mapping', connectionId: integrationId },
    // The connector writes with the integration's connection on its side.
    target: { connector: command.connector, connectionId: connectionOn(integration, side) },
    integrationId,
    causationId: event.id,
    // An event published from outside starts its own chain.
    correlationId: event.correlationId ?? event.id,
    occurredAt: event.occurredAt,
    data: command.data,
  });
}

/**
 * Publishes an event's commands together, in order: each is sent before the first acknowledgement is awaited, so they
 * cost one round trip to the stream instead of one each (and reach it in the order planned).
 */
export async function publishCommands(bus: Bus, commands: readonly CommandEnvelope[]): Promise<void> {
  await Promise.all(commands.map((command) => bus.publish(command.type, command)));
}
