import { defineConnector } from '@junction/connector-runtime';
import { accountOf, ShoprenterCredentials, ShoprenterSettings } from './settings';
import { ordersStream } from './streams/orders';
import { testConnection } from './test-connection';

export const shoprenter = defineConnector<ShoprenterSettings, ShoprenterCredentials>({
  name: 'shoprenter',
  settingsSchema: ShoprenterSettings,
  credentialsSchema: ShoprenterCredentials,
  // Two connections to one shop would page it in parallel, which gets the API user locked out.
  accountOf: (settings) => accountOf(settings),
  testConnection,
  streams: {
    orders: ordersStream,
  },
  // Shoprenter is only a source here: nothing is written to the shop.
  commands: {},
});
