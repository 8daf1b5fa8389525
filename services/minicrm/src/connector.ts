import { defineConnector } from '@junction/connector-runtime';
import { setOrderStatus } from './commands/order-status-set';
import { upsertOrder } from './commands/order-upsert';
import { MiniCrmCredentials, MiniCrmSettings } from './settings';
import { testConnection } from './test-connection';

export const minicrm = defineConnector<MiniCrmSettings, MiniCrmCredentials>({
  name: 'minicrm',
  settingsSchema: MiniCrmSettings,
  credentialsSchema: MiniCrmCredentials,
  // One connection per MiniCRM system: a second Shoprenter integration would overwrite the first one's customers.
  accountOf: (settings) => settings.systemId,
  testConnection,
  // MiniCRM is only written to: orders and their statuses come from the shop.
  streams: {},
  commands: {
    'order.upsert': upsertOrder,
    'order.status.set': setOrderStatus,
  },
  // A status change waits for its order's card.
  waitsFor: ['order'],
});
