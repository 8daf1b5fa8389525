import { defineConnector } from '@junction/connector-runtime';
import { setOrderStatus } from './commands/order-status-set';
import { upsertOrderBatch } from './commands/order-upload';
import { upsertOrder } from './commands/order-upsert';
import { RetailCrmCredentials, RetailCrmSettings } from './settings';
import { orderHistoryStream } from './streams/order-history';
import { testConnection } from './test-connection';

export const retailcrm = defineConnector<RetailCrmSettings, RetailCrmCredentials>({
  name: 'retailcrm',
  settingsSchema: RetailCrmSettings,
  credentialsSchema: RetailCrmCredentials,
  testConnection,
  streams: {
    order_history: orderHistoryStream,
  },
  commands: {
    'order.upsert': upsertOrder,
    'order.status.set': setOrderStatus,
  },
  batchCommands: {
    'order.upsert': upsertOrderBatch,
  },
  // A status change waits for its order.
  waitsFor: ['order'],
});
