import { defineConnector } from '@junction/connector-runtime';
import { setOrderStatus } from './commands/order-status-set';
import { ZzapCredentials, ZzapSettings } from './settings';
import { ordersStream } from './streams/orders';
import { testConnection } from './test-connection';

export const zzap = defineConnector<ZzapSettings, ZzapCredentials>({
  name: 'zzap',
  settingsSchema: ZzapSettings,
  credentialsSchema: ZzapCredentials,
  // One RetailCRM store = one ZZap account: a second connection to the same cabinet is refused.
  accountOf: (_, credentials) => credentials.login,
  testConnection,
  streams: {
    orders: ordersStream,
  },
  commands: {
    'order.status.set': setOrderStatus,
  },
});
