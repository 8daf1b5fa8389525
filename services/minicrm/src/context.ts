import type { CommandContext, ConnectorContext } from '@junction/connector-runtime';
import { MiniCrmClient } from './client';
import type { MiniCrmCredentials, MiniCrmSettings } from './settings';

export type MContext = ConnectorContext<MiniCrmSettings, MiniCrmCredentials>;
export type MCommandContext = CommandContext<MiniCrmSettings, MiniCrmCredentials>;

export function clientFor(ctx: MContext): MiniCrmClient {
  return new MiniCrmClient(ctx.connection.settings, ctx.credentials);
}
