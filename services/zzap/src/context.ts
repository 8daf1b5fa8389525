import type { CommandContext, ConnectorContext } from '@junction/connector-runtime';
import type { RetryPolicy } from '@junction/vendor-http';
import { ZzapClient } from './client';
import type { ZzapCredentials, ZzapSettings } from './settings';

export type ZzapContext = ConnectorContext<ZzapSettings, ZzapCredentials>;
export type ZzapCommandContext = CommandContext<ZzapSettings, ZzapCredentials>;

/** The observation kind holding each order's last seen `code_track`, keyed by `code_order`. */
export const ORDER_STATUS = 'order_status';

export function clientFor(ctx: ZzapContext, retry?: Partial<RetryPolicy>): ZzapClient {
  return new ZzapClient(ctx.connection.settings, ctx.credentials, retry);
}
