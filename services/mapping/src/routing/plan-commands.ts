import type { Envelope } from '@junction/contracts';
import { PermanentError } from '@junction/messaging';
import { connectionOn, connectorOn, type Integration } from '../integrations/integration';
import { isWaiting, type EventOf, type EventRoute, type PlanContext, type RoutedSubject } from './event-route';
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

export interface EventPlan {
  commands: CommandEnvelope[];
  /** Integrations that cannot route the event until their settings change, and why. */
  waiting: Array<{ integration: Integration; reason: string }>;
}

/**
 * The commands one event calls for across the integrations that use its connection. An integration whose rule
 * says the event must wait contributes no commands at all, so the event is planned whole once it can be.
 */
export async function planCommands(
  route: EventRoute,
  event: EventOf<RoutedSubject>,
  integrations: readonly Integration[],
  context: PlanContext,
): Promise<EventPlan> {
  const plan: EventPlan = { commands: [], waiting: [] };
  for (const integration of integrations) {
    const commands: CommandEnvelope[] = [];
    let waiting: string | undefined;
    for (const rule of route.rules) {
      if (rule.kind !== integration.kind || !comesFrom(event, integration, rule.from)) continue;
      const planned = await rule.plan(event, integration, context);
      if (isWaiting(planned)) waiting = planned.waiting;
      else commands.push(...planned.map((command) => toEnvelope(event, integration, command)));
    }
    if (waiting !== undefined) plan.waiting.push({ integration, reason: waiting });
    else plan.commands.push(...commands);
  }
  return plan;
}
