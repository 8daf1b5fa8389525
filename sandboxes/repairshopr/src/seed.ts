import { stableSecret } from '@junction/sandbox-kit';
import { z } from 'zod';
import { PERMISSIONS, type Permission } from './auth';
import type { RepairShoprData } from './data';
import { decimalString } from './fields';
import { profileUrl, type Account, type Customer, type Product, type ProductCategory } from './records';

const pageSize = z.number().int().min(1).max(1000);

/** Body of POST /__sandbox/reset; `{}` gives the default demo data. */
export const SeedOptions = z.object({
  customers: z.number().int().min(0).max(10_000).default(12),
  contactsPerCustomer: z.number().int().min(0).max(20).default(2),
  productsPerCategory: z.number().int().min(0).max(1_000).default(2),
  estimates: z.number().int().min(0).max(10_000).default(2),
  pageSizes: z
    .object({ customers: pageSize, contacts: pageSize, products: pageSize, estimates: pageSize })
    .partial()
    .default({}),
});
export type SeedOptions = z.infer<typeof SeedOptions>;

const ALL_PERMISSIONS: Permission[] = Object.values(PERMISSIONS);

/** The seeded accounts and API tokens: the same values on every start and reset. */
export const SEEDED = {
  subdomain: 'acme',
  tokens: {
    /** Every permission the Zomentum integration needs (Customers, Contacts, Products, Estimates). */
    full: stableSecret('repairshopr/acme/full'),
    /** Lacks every Estimates permission: estimate calls answer 401. */
    noEstimates: stableSecret('repairshopr/acme/no-estimates'),
    /** Full permissions, but expired a day before the sandbox (re)started. */
    expired: stableSecret('repairshopr/acme/expired'),
  },
  /** A second shop, to show that keys and records never cross subdomains. */
  other: { subdomain: 'globex', token: stableSecret('repairshopr/globex/full') },
} as const;

const FIRST_NAMES = ['Ava', 'Ben', 'Chloe', 'Daniel', 'Emma', 'Felix', 'Grace', 'Henry', 'Isla', 'Jack', 'Kate', 'Liam'];
const LAST_NAMES = ['Anderson', 'Brooks', 'Carter', 'Diaz', 'Evans', 'Foster', 'Garcia', 'Hughes', 'Ito', 'Jensen', 'Kim', 'Lopez'];
const BUSINESSES = ['Northwind Traders', 'Contoso Dental', 'Blue Lake Bakery', 'Fabrikam Legal', 'Summit Accounting', 'Harbor Cafe'];
const CITIES = ['Springfield', 'Riverton', 'Lakewood', 'Fairview'];

/** Default, Labor and Hardware come with every new account; Accessories and a Cables subcategory are user-added. */
const CATEGORIES: Array<{ name: string; parent?: string; products: string[] }> = [
  { name: 'Default', products: ['Diagnostic Fee', 'Data Backup', 'Virus Removal'] },
  { name: 'Labor', products: ['Bench Labor (1h)', 'On-site Labor (1h)', 'Screen Replacement Labor'] },
  { name: 'Hardware', products: ['SSD 1TB', '16GB DDR4 RAM', 'Laptop Battery'] },
  { name: 'Accessories', products: ['USB-C Charger', 'Laptop Sleeve', 'Wireless Mouse'] },
  { name: 'Cables', parent: 'Hardware', products: ['HDMI Cable 2m', 'USB-C Cable 1m', 'Cat6 Patch Cable'] },
];

const HOUR_MS = 3_600_000;

export function seed(data: RepairShoprData, options: SeedOptions): void {
  data.pageSizes = { customers: 100, contacts: 50, products: 25, estimates: 25, ...options.pageSizes };
  const now = data.store.clock.nowMs();
  const acme = seedAccount(data, SEEDED.subdomain, 'Acme Repairs', [
    { name: 'Zomentum API', token: SEEDED.tokens.full, permissions: ALL_PERMISSIONS, expires_at: null },
    {
      name: 'No estimates',
      token: SEEDED.tokens.noEstimates,
      permissions: ALL_PERMISSIONS.filter((permission) => !permission.startsWith('Estimates')),
      expires_at: null,
    },
    {
      name: 'Expired',
      token: SEEDED.tokens.expired,
      permissions: ALL_PERMISSIONS,
      expires_at: new Date(now - 24 * HOUR_MS).toISOString(),
    },
  ]);
  const globex = seedAccount(data, SEEDED.other.subdomain, 'Globex Fix-It', [
    { name: 'Zomentum API', token: SEEDED.other.token, permissions: ALL_PERMISSIONS, expires_at: null },
  ]);

  const customers = seedCustomers(data, acme, options.customers, options.contactsPerCustomer, now);
  seedCustomers(data, globex, 2, 1, now);
  const products = seedCatalog(data, acme, options.productsPerCategory);
  seedCatalog(data, globex, 1);
  seedEstimates(data, acme, customers.slice(0, options.estimates), products);
}

interface TokenSeed {
  name: string;
  token: string;
  permissions: string[];
  expires_at: string | null;
}

function seedAccount(data: RepairShoprData, subdomain: string, businessName: string, tokens: TokenSeed[]): Account {
  const account = data.accounts.insert({ subdomain, business_name: businessName });
  const user = data.users.insert({
    account_id: account.id,
    email: `owner@${subdomain}.example.com`,
    full_name: `${businessName} Owner`,
    group: 'Admins',
    admin: true,
    user_token: stableSecret(`repairshopr/${subdomain}/user-token`, 36),
  });
  for (const token of tokens) data.apiTokens.insert({ ...token, account_id: account.id, user_id: user.id });
  return account;
}

/** Customers created an hour apart, the newest an hour ago, each with its contacts a minute apart. */
function seedCustomers(data: RepairShoprData, account: Account, count: number, contactsEach: number, now: number): Customer[] {
  const customers: Customer[] = [];
  for (let n = 1; n <= count; n++) {
    const firstname = FIRST_NAMES[(n - 1) % FIRST_NAMES.length];
    const lastname = LAST_NAMES[(n * 5) % LAST_NAMES.length];
    const createdAt = new Date(now - (count - n + 1) * HOUR_MS);
    const customer = data.customers.insert({
      account_id: account.id,
      firstname,
      lastname,
      business_name: n % 2 === 1 ? BUSINESSES[Math.floor(n / 2) % BUSINESSES.length] : null,
      email: `${firstname}.${lastname}.${n}@${account.subdomain}-customers.example.com`.toLowerCase(),
      phone: `555-01${String(n % 100).padStart(2, '0')}`,
      city: CITIES[n % CITIES.length],
      online_profile_url: profileUrl(account, n),
      created_at: createdAt.toISOString(),
    });
    customers.push(customer);
    for (let m = 1; m <= contactsEach; m++) {
      const first = FIRST_NAMES[(n + m * 3) % FIRST_NAMES.length];
      const last = LAST_NAMES[(n + m) % LAST_NAMES.length];
      data.contacts.insert({
        account_id: account.id,
        customer_id: customer.id,
        name: `${first} ${last}`,
        email: `${first}.${last}.${n}-${m}@${account.subdomain}-customers.example.com`.toLowerCase(),
        phone: `(555) 02${m}-${String(n).padStart(4, '0')}`,
        created_at: new Date(createdAt.getTime() + m * 60_000).toISOString(),
      });
    }
  }
  return customers;
}

function seedCatalog(data: RepairShoprData, account: Account, perCategory: number): Product[] {
  const products: Product[] = [];
  const byName = new Map<string, ProductCategory>();
  CATEGORIES.forEach((definition, categoryIndex) => {
    const parent = definition.parent ? byName.get(definition.parent) : undefined;
    const category = data.productCategories.insert({
      account_id: account.id,
      ancestry: parent ? [parent.ancestry, parent.id].filter(Boolean).join('/') : null,
      name: definition.name,
      description: parent ? `${definition.name} (under ${parent.name})` : definition.name,
      device_product_id: null,
      names_depth_cache: parent ? `${parent.names_depth_cache} > ${definition.name}` : definition.name,
    });
    byName.set(definition.name, category);
    for (let i = 0; i < perCategory; i++) {
      const base = definition.products[i % definition.products.length];
      const retail = 15 + categoryIndex * 20 + i * 7.5;
      products.push(
        data.products.insert({
          account_id: account.id,
          name: i < definition.products.length ? base : `${base} #${i + 1}`,
          description: `${base} (${category.names_depth_cache})`,
          price_retail: retail,
          price_cost: Math.round(retail * 60) / 100,
          maintain_stock: definition.name !== 'Labor' && definition.name !== 'Default',
          quantity: definition.name === 'Labor' ? 0 : 10 + i,
          product_category: definition.name,
          category_path: category.names_depth_cache,
          upc_code: `0${String(account.id)}${String(category.id).padStart(3, '0')}${String(i + 1).padStart(6, '0')}`,
        }),
      );
    }
  });
  return products;
}

function seedEstimates(data: RepairShoprData, account: Account, customers: Customer[], products: Product[]): void {
  const employee = data.users.find((user) => user.account_id === account.id)!.email;
  customers.forEach((customer, index) => {
    const estimate = data.estimates.insert({
      account_id: account.id,
      customer_id: customer.id,
      name: `Repair quote for ${customer.business_then_name}`,
      number: String(1001 + index),
      status: index % 2 === 0 ? 'Fresh' : 'Approved',
      date: customer.created_at,
      note: null,
      ticket_id: null,
      location_id: null,
      contact_id: null,
      invoice_id: null,
      employee,
      created_at: customer.created_at,
    });
    const lines = products.length === 0 ? [] : [products[index % products.length], products[(index + 1) % products.length]];
    lines.forEach((product, position) =>
      data.lineItems.insert({
        account_id: account.id,
        estimate_id: estimate.id,
        item: product.name,
        name: product.description,
        cost: decimalString(product.price_cost),
        price: decimalString(product.price_retail),
        quantity: '1.0',
        product_id: product.id,
        product_category: product.product_category,
        taxable: product.taxable,
        discount_percent: null,
        discount_dollars: null,
        position: position + 1,
        invoice_id: null,
        invoice_bundle_id: null,
        created_at: customer.created_at,
      }),
    );
  });
}
