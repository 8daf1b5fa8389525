import type { Collection, CollectionOptions, SandboxData, Store } from '@junction/sandbox-kit';
import {
  completeClientCompany,
  completeClientUser,
  completeDocument,
  completeItem,
  type Account,
  type ApiCredential,
  type ClientCompany,
  type ClientUser,
  type Item,
  type ItemCategory,
  type QuoteDocument,
  type User,
} from './records';

export interface ZomentumData extends SandboxData {
  accounts: Collection<Account>;
  users: Collection<User>;
  apiCredentials: Collection<ApiCredential>;
  clientCompanies: Collection<ClientCompany>;
  clientUsers: Collection<ClientUser>;
  itemCategories: Collection<ItemCategory>;
  items: Collection<Item>;
  documents: Collection<QuoteDocument>;
  /** Lifetime of a newly issued access token (reset option `accessTokenTtlSeconds`). */
  accessTokenTtlMs: number;
  /** Counts ids given to nested records (pricing entries, document lines); every seed restarts it. */
  nestedIds: number;
}

/**
 * Ids are opaque 24-hex strings like MongoDB ObjectIds; a fixed prefix per collection keeps them readable
 * (`…c11e47000000000003` is the third client) and the same on every reset.
 */
export function objectId(prefix: string, sequence: number): string {
  return `65a0${prefix}${sequence.toString(16).padStart(14, '0')}`;
}

function withIds<T extends object>(prefix: string, options: CollectionOptions<T> = {}): CollectionOptions<T> {
  return { ids: (sequence) => objectId(prefix, sequence), ...options };
}

const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' };

export function createData(store: Store): ZomentumData {
  return {
    store,
    accounts: store.define<Account>('accounts', withIds('acc000')),
    users: store.define<User>('users', withIds('05e500')),
    apiCredentials: store.define<ApiCredential>('api_credentials', withIds('70ce00')),
    clientCompanies: store.define<ClientCompany>(
      'client_companies',
      withIds('c11e47', { timestamps, complete: completeClientCompany }),
    ),
    clientUsers: store.define<ClientUser>('client_users', withIds('c0c7ac', { timestamps, complete: completeClientUser })),
    itemCategories: store.define<ItemCategory>('item_categories', withIds('ca7e90', { timestamps })),
    items: store.define<Item>('items', withIds('17e300', { timestamps, complete: completeItem })),
    documents: store.define<QuoteDocument>('documents', withIds('d0c000', { timestamps, complete: completeDocument })),
    accessTokenTtlMs: 24 * 3_600_000,
    nestedIds: 0,
  };
}

/** An id for a record inside another (a pricing entry, a document line). */
export function nestedId(data: ZomentumData, prefix: string): string {
  data.nestedIds += 1;
  return objectId(prefix, data.nestedIds);
}
