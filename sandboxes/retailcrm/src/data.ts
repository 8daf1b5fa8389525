import type { Collection, SandboxData, Store } from '@junction/sandbox-kit';
import { completeOrder } from './orders';
import { formatDateTime, type ApiKey, type HistoryRecord, type Order, type Product, type Site, type User, type Warehouse } from './records';

export interface RetailCrmData extends SandboxData {
  apiKeys: Collection<ApiKey>;
  users: Collection<User>;
  sites: Collection<Site>;
  warehouses: Collection<Warehouse>;
  products: Collection<Product>;
  orders: Collection<Order>;
  history: Collection<HistoryRecord>;
  /** The last order item id handed out: ids only grow, resets included, so they stay unique across orders. */
  itemIds: { last: number };
}

export function createData(store: Store): RetailCrmData {
  return {
    store,
    apiKeys: store.define<ApiKey>('api_keys'),
    users: store.define<User>('users'),
    sites: store.define<Site>('sites'),
    warehouses: store.define<Warehouse>('stores'),
    products: store.define<Product>('products'),
    // `createdAt` and `statusUpdatedAt` are set by the order code: an edit of other fields must not move the latter.
    orders: store.define<Order>('orders', { complete: completeOrder }),
    history: store.define<HistoryRecord>('history', {
      timestamps: { createdAt: 'createdAt', updatedAt: 'createdAt', format: formatDateTime },
    }),
    itemIds: { last: 0 },
  };
}
