import type { Collection, SandboxData, Store } from '@junction/sandbox-kit';
import { Lockout, type LockoutPolicy } from './lockout';
import type { AccessToken, Coupon, Order, OrderProduct, OrderStatus, Shop } from './records';
import { shopTime } from './time';

export interface ShoprenterData extends SandboxData {
  shops: Collection<Shop>;
  accessTokens: Collection<AccessToken>;
  orderStatuses: Collection<OrderStatus>;
  coupons: Collection<Coupon>;
  orders: Collection<Order>;
  orderProducts: Collection<OrderProduct>;
  /** Set by each seed: whether the legacy Basic auth still works (reset option `basicAuth`). */
  basicAuthEnabled: boolean;
  lockout: Lockout;
}

const timestamps = { createdAt: 'dateCreated', updatedAt: 'dateUpdated', format: shopTime };

export const DEFAULT_LOCKOUT: LockoutPolicy = { afterRefusals: 10, withinMs: 10_000, forMs: 60_000 };

export function createData(store: Store): ShoprenterData {
  return {
    store,
    shops: store.define<Shop>('shops'),
    accessTokens: store.define<AccessToken>('accessTokens'),
    orderStatuses: store.define<OrderStatus>('orderStatuses', { idField: 'innerId' }),
    coupons: store.define<Coupon>('coupons', { idField: 'innerId', timestamps }),
    orders: store.define<Order>('orders', { idField: 'innerId', timestamps }),
    orderProducts: store.define<OrderProduct>('orderProducts', { idField: 'innerId', indexes: { order: (line) => String(line.orderId) } }),
    basicAuthEnabled: true,
    lockout: new Lockout(DEFAULT_LOCKOUT),
  };
}
