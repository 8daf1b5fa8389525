import type { Envelope } from '@junction/contracts';
import { PermanentError } from '@junction/messaging';
import { connectionOn, connectorOn, type Integration } from '../integrations/integration';
import type { EventOf, EventRoute, PlanContext, RoutedSubject } from './event-route';
import { commandEnvelope, type CommandEnvelope, type PlannedCommand } from './planned-command';

/** Whether the event came from the side of the integration the rule listens to. */
function comesFrom(event: Envelope, integration: Integration, side: 'source' | 'target'): boolean {
  return (
    event.source.connector === connectorOn(integration.kind, side) &&
    event.source.connectionId === connectionOn(integration, side)
  );
}

function toEnvelope(event: Envelope, integration: Integration, command: PlannedCommand): CommandEnvelope {
  try {
    return commandEnvelope(event, integration, command);
  } catch (error) {
    // A command that breaks its contract is built the same way on every redelivery: retrying cannot help.
    const reason = `${command.action} for ${event.id} breaks its contract: ${(error as Error).message}`;
    throw new PermanentError(reason, { cause: error });
  }
}

/** The commands one event calls for across the integrations that use its connection. */
export async function planCommands(
  route: EventRoute,
  event: EventOf<RoutedSubject>,
  integrations: readonly Integration[],
  context: PlanContext,
): Promise<CommandEnvelope[]> {
  const envelopes: CommandEnvelope[] = [];
  for (const integration of integrations) {
    for (const rule of route.rules) {
      if (rule.kind !== integration.kind || !comesFrom(event, integration, rule.from)) continue;
      const commands = await rule.plan(event, integration, context);
      envelopes.push(...commands.map((command) => toEnvelope(event, integration, command)));
    }
  }
  return envelopes;
}
