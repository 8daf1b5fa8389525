import type { Envelope } from '@junction/contracts';
import { PermanentError } from '@junction/messaging';
import { connectionOn, connectorOn, type Integration } from '../integrations/integration';
import type { LinkedRecord } from '../links/record-links';
import { isWaiting, type EventOf, type EventRoute, type PlanContext, type RoutedSubject, type Waiting } from './event-route';
import { commandEnvelope, type CommandEnvelope, type PlannedCommand } from './planned-command';

/** Whether the event came from that side of the integration (the side a rule listens to). */
export function comesFrom(event: Envelope, integration: Integration, side: 'source' | 'target'): boolean {
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
  /** Integrations that cannot route the event yet, why, and the record whose link they wait for, if any. */
  waiting: PlanWait[];
}

export interface PlanWait {
  integration: Integration;
  reason: string;
  awaited?: LinkedRecord;
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
    let waiting: Waiting | undefined;
    for (const rule of route.rules) {
      if (rule.kind !== integration.kind || !comesFrom(event, integration, rule.from)) continue;
      const planned = await rule.plan(event, integration, context);
      if (isWaiting(planned)) waiting = planned;
      else commands.push(...planned.map((command) => toEnvelope(event, integration, command)));
    }
    if (waiting !== undefined) plan.waiting.push({ integration, reason: waiting.waiting, awaited: waiting.awaited });
    else plan.commands.push(...commands);
  }
  return plan;
}
