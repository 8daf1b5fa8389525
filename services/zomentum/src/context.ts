import type { CommandContext, ConnectorContext } from '@junction/connector-runtime';
import { refreshAccessToken, ZomentumClient, type AccessToken } from './client';
import type { ZomentumCredentials, ZomentumSettings } from './settings';

export type ZContext = ConnectorContext<ZomentumSettings, ZomentumCredentials>;
export type ZCommandContext = CommandContext<ZomentumSettings, ZomentumCredentials>;

/**
 * A client whose 401s renew the access token exactly once per connection across replicas: the refresh runs under
 * the runtime's credentials lock, and a caller that finds a different token stored than the one refused takes that
 * one instead of refreshing again (a second refresh would invalidate the first replica's new token).
 */
export function clientFor(ctx: ZContext): ZomentumClient {
  const token: AccessToken = {
    current: ctx.credentials.accessToken,
    async renew() {
      const refused = token.current;
      const stored = await ctx.updateCredentials(async (latest) => {
        if (latest.accessToken !== refused) return latest;
        ctx.logger.info('renewing the Zomentum access token');
        return { ...latest, accessToken: await refreshAccessToken(ctx.connection.settings, latest.refreshToken) };
      });
      token.current = stored.accessToken;
    },
  };
  return new ZomentumClient(ctx.connection.id, ctx.connection.settings, token);
}

/** The Zomentum id of a record an earlier command ensured; mapping's commands may arrive before it, and wait for it. */
export async function mappedId(ctx: ZCommandContext, entityType: string, sourceKey: string): Promise<string> {
  return (await ctx.idMap.require(entityType, sourceKey, `${entityType} ${sourceKey} is not in Zomentum yet`)).externalId;
}

export function sameText(a: string | null | undefined, b: string | null | undefined): boolean {
  return Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());
}

/** Drops null, undefined and blank values. */
export function definedFields<T extends Record<string, string | null | undefined>>(fields: T): { [K in keyof T]?: string } {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''),
  ) as { [K in keyof T]?: string };
}
