import type { CommandContext, ConnectorContext } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import { MiniCrmClient } from './client';
import type { MiniCrmCredentials, MiniCrmSettings } from './settings';
import { checkSetup, type IntegrationProducts } from './setup';

export type MContext = ConnectorContext<MiniCrmSettings, MiniCrmCredentials>;
export type MCommandContext = CommandContext<MiniCrmSettings, MiniCrmCredentials>;

export function clientFor(ctx: MContext): MiniCrmClient {
  return new MiniCrmClient(ctx.connection.settings, ctx.credentials);
}

/**
 * The Order and Webshop products, read once per command and only when a lookup or create needs them (60 requests a
 * minute go a long way). A system without them cannot take orders until set up.
 */
export function integrationProducts(ctx: MContext, client: MiniCrmClient): () => Promise<IntegrationProducts> {
  let products: Promise<IntegrationProducts> | undefined;
  return () =>
    (products ??= client.categories().then((categories) => {
      const setup = checkSetup(ctx.connection.settings.systemId, categories);
      if (!setup.ok) throw new PermanentError(setup.message);
      return setup.products;
    }));
}
