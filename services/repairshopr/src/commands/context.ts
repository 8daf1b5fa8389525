import type { CommandContext, ConnectorContext } from '@junction/connector-runtime';
import { RepairShoprClient } from '../client';
import type { RepairShoprCredentials, RepairShoprSettings } from '../settings';

export type RsContext = ConnectorContext<RepairShoprSettings, RepairShoprCredentials>;
export type RsCommandContext = CommandContext<RepairShoprSettings, RepairShoprCredentials>;

export function clientFor(ctx: RsContext): RepairShoprClient {
  return new RepairShoprClient(ctx.connection.id, ctx.connection.settings, ctx.credentials);
}

/**
 * The RepairShopr id of a record an earlier command ensured. Mapping sends a deal's commands together, so the
 * customer or product may still be on its way: the command waits for it rather than write an orphan.
 */
export async function mappedId(ctx: RsCommandContext, entityType: string, sourceKey: string): Promise<number> {
  const entry = await ctx.idMap.require(entityType, sourceKey, notInRepairShopr(entityType, sourceKey));
  return Number(entry.externalId);
}

/** What a command that needs this record waits for, in RepairShopr's words. */
export function notInRepairShopr(entityType: string, sourceKey: string): string {
  return `${entityType} ${sourceKey} is not in RepairShopr yet`;
}

export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());
}
