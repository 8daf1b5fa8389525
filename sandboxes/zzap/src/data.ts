import type { Collection, SandboxData, Store } from '@junction/sandbox-kit';
import { completeOrder, moscowTime, type Account, type SellerOrder } from './records';

export interface ZzapData extends SandboxData {
  accounts: Collection<Account>;
  orders: Collection<SellerOrder>;
}

export function createData(store: Store): ZzapData {
  return {
    store,
    accounts: store.define<Account>('accounts'),
    // `date_track` is the last event on the order, so any change (status, a UI edit) moves it.
    orders: store.define<SellerOrder>('orders', {
      idField: 'code_order',
      ids: (sequence) => 500_000 + sequence,
      timestamps: { createdAt: 'create_date', updatedAt: 'date_track', format: moscowTime },
      complete: completeOrder,
    }),
  };
}
