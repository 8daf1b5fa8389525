import type { Collection, SandboxData, Store } from '@junction/sandbox-kit';
import {
  completeContact,
  completeCustomer,
  completeProduct,
  type Account,
  type ApiToken,
  type Contact,
  type Customer,
  type Estimate,
  type LineItem,
  type Product,
  type ProductCategory,
  type User,
} from './records';

/** Rows per page, fixed per resource (no per_page parameter). Docs and live observations differ; live wins. */
export interface PageSizes {
  customers: number;
  contacts: number;
  products: number;
  estimates: number;
}

export interface RepairShoprData extends SandboxData {
  accounts: Collection<Account>;
  users: Collection<User>;
  apiTokens: Collection<ApiToken>;
  customers: Collection<Customer>;
  contacts: Collection<Contact>;
  productCategories: Collection<ProductCategory>;
  products: Collection<Product>;
  estimates: Collection<Estimate>;
  lineItems: Collection<LineItem>;
  /** Set by each seed (reset option `pageSizes`). */
  pageSizes: PageSizes;
}

const timestamps = { createdAt: 'created_at', updatedAt: 'updated_at' };

export function createData(store: Store): RepairShoprData {
  return {
    store,
    accounts: store.define<Account>('accounts'),
    users: store.define<User>('users'),
    apiTokens: store.define<ApiToken>('api_tokens'),
    customers: store.define<Customer>('customers', {
      timestamps,
      complete: completeCustomer,
      indexes: { email: (customer) => customer.email?.toLowerCase() },
    }),
    contacts: store.define<Contact>('contacts', {
      timestamps,
      complete: completeContact,
      indexes: { customer: (contact) => String(contact.customer_id) },
    }),
    productCategories: store.define<ProductCategory>('product_categories'),
    products: store.define<Product>('products', { complete: completeProduct }),
    estimates: store.define<Estimate>('estimates', { timestamps, indexes: { number: (estimate) => estimate.number } }),
    lineItems: store.define<LineItem>('line_items', { timestamps, indexes: { estimate: (line) => String(line.estimate_id) } }),
    pageSizes: { customers: 100, contacts: 50, products: 25, estimates: 25 },
  };
}
