import { stableSecret } from '@junction/sandbox-kit';
import { z } from 'zod';
import { accessTokenFor } from './auth';
import { nestedId, type ZomentumData } from './data';
import type { Account, BillingPeriod, ClientCompany, DocumentStatus, Item, ItemCategory, User } from './records';

/** Body of POST /__sandbox/reset; `{}` gives the default demo data. */
export const SeedOptions = z.object({
  clients: z.number().int().min(0).max(10_000).default(6),
  contactsPerClient: z.number().int().min(0).max(20).default(2),
  itemsPerCategory: z.number().int().min(1).max(1_000).default(1),
  documents: z.number().int().min(0).max(10_000).default(4),
  /** Lifetime of access tokens, 24 hours by default (as a public client's notes say). */
  accessTokenTtlSeconds: z.number().int().min(1).default(86_400),
});
export type SeedOptions = z.infer<typeof SeedOptions>;

const REFRESH_TOKEN = stableSecret('zomentum/contoso/refresh', 64);
const STARTER_REFRESH_TOKEN = stableSecret('zomentum/fabrikam/refresh', 64);

/** The seeded API user's tokens: the same on every start and reset (until the first refresh replaces the access token). */
export const SEEDED = {
  accessToken: accessTokenFor(REFRESH_TOKEN, 1),
  refreshToken: REFRESH_TOKEN,
  /** An API user of an account on the Starter plan: every call answers 403. */
  starterPlan: { accessToken: accessTokenFor(STARTER_REFRESH_TOKEN, 1), refreshToken: STARTER_REFRESH_TOKEN },
} as const;

const CLIENT_NAMES = [
  'Alpine Dental Group',
  'Brightside Logistics',
  'Cedar & Co Law',
  'Delta Architects',
  'Evergreen Clinic',
  'Fjord Analytics',
];
const FIRST_NAMES = ['Maya', 'Noah', 'Olivia', 'Peter', 'Quinn', 'Rosa', 'Sam', 'Tara'];
const LAST_NAMES = ['Nguyen', 'Okafor', 'Patel', 'Quispe', 'Rossi', 'Schmidt', 'Tanaka', 'Ulloa'];

/** Hardware, Software, Service and Labor come with every account; Managed Services is user-added. */
interface CatalogEntry {
  category: string;
  isDefault: boolean;
  type: Item['type'];
  /** Prices as [billing period, sell price, cost price]. */
  items: Array<{ name: string; prices: Array<[BillingPeriod, number, number]> }>;
}

const CATALOG: CatalogEntry[] = [
  {
    category: 'Hardware',
    isDefault: true,
    type: 'product',
    items: [{ name: 'Dell Latitude 5440', prices: [['one_time', 1249, 980]] }],
  },
  {
    category: 'Software',
    isDefault: true,
    type: 'product',
    items: [{ name: 'Microsoft 365 Business Premium', prices: [['monthly', 22, 18.5], ['annually', 264, 222]] }],
  },
  { category: 'Service', isDefault: true, type: 'service', items: [{ name: 'Managed Backup', prices: [['monthly', 13, 6]] }] },
  { category: 'Labor', isDefault: true, type: 'service', items: [{ name: 'Onsite Support Hour', prices: [['one_time', 120, 60]] }] },
  {
    category: 'Managed Services',
    isDefault: false,
    type: 'service',
    items: [{ name: 'Network Monitoring', prices: [['quarterly', 300, 90]] }],
  },
];

const DOCUMENT_STATUS_CYCLE: DocumentStatus[] = ['won', 'won', 'sent', 'draft'];
const HOUR_MS = 3_600_000;

export function seed(data: ZomentumData, options: SeedOptions): void {
  data.accessTokenTtlMs = options.accessTokenTtlSeconds * 1000;
  data.nestedIds = 0;
  const now = data.store.clock.nowMs();
  const contoso = seedAccount(data, 'Contoso MSP', 'growth', REFRESH_TOKEN, now);
  seedAccount(data, 'Fabrikam IT', 'starter', STARTER_REFRESH_TOKEN, now);

  const clients = seedClients(data, contoso, options.clients, options.contactsPerClient, now);
  const items = seedCatalog(data, contoso, options.itemsPerCategory);
  seedDocuments(data, contoso, clients, items, options.documents, now);
}

function seedAccount(data: ZomentumData, name: string, plan: Account['plan'], refreshToken: string, now: number): Account {
  const account = data.accounts.insert({ name, plan });
  const domain = name.toLowerCase().replace(/\W+/g, '-');
  const user = (first: string, last: string, role: User['role']) =>
    data.users.insert({ account_id: account.id, name: { first, last }, email: `${role}@${domain}.example.com`, role });
  user('Owner', name, 'admin');
  const apiUser = user('Junction', 'API', 'api_user');
  data.apiCredentials.insert({
    account_id: account.id,
    user_id: apiUser.id,
    refresh_token: refreshToken,
    access_token: accessTokenFor(refreshToken, 1),
    access_token_expires_at: new Date(now + data.accessTokenTtlMs).toISOString(),
    generation: 1,
  });
  return account;
}

/** Clients created an hour apart, the newest an hour ago; the first contact of each is the primary one. */
function seedClients(data: ZomentumData, account: Account, count: number, contactsEach: number, now: number): ClientCompany[] {
  const clients: ClientCompany[] = [];
  for (let n = 1; n <= count; n++) {
    const base = CLIENT_NAMES[(n - 1) % CLIENT_NAMES.length];
    const name = n <= CLIENT_NAMES.length ? base : `${base} ${Math.ceil(n / CLIENT_NAMES.length)}`;
    const domain = name.toLowerCase().replace(/\W+/g, '');
    const createdAt = new Date(now - (count - n + 1) * HOUR_MS).toISOString();
    const client = data.clientCompanies.insert({
      account_id: account.id,
      name,
      email: `office@${domain}.example.com`,
      phone: `+1 555 03${String(n % 100).padStart(2, '0')}`,
      website: `https://${domain}.example.com`,
      billing_address: {
        address_line_1: `${n} Market Street`,
        city: 'Springfield',
        state: 'IL',
        zip_code: '62701',
        country: 'United States',
      },
      created_at: createdAt,
    });
    clients.push(client);
    for (let m = 1; m <= contactsEach; m++) {
      const first = FIRST_NAMES[(n + m) % FIRST_NAMES.length];
      const last = LAST_NAMES[(n * 3 + m) % LAST_NAMES.length];
      data.clientUsers.insert({
        account_id: account.id,
        client_company_id: client.id,
        name: { first, last },
        email: `${first}.${last}@${domain}.example.com`.toLowerCase(),
        phone: `+1 555 04${m}${String(n % 100).padStart(2, '0')}`,
        contact_type: m === 1 ? 'primary_contact' : 'secondary_contact',
        created_at: new Date(Date.parse(createdAt) + m * 60_000).toISOString(),
      });
    }
  }
  return clients;
}

function seedCatalog(data: ZomentumData, account: Account, perCategory: number): Item[] {
  const items: Item[] = [];
  for (const entry of CATALOG) {
    const category: ItemCategory = data.itemCategories.insert({
      account_id: account.id,
      name: entry.category,
      is_default: entry.isDefault,
    });
    for (let i = 0; i < perCategory; i++) {
      const template = entry.items[i % entry.items.length];
      items.push(
        data.items.insert({
          account_id: account.id,
          name: i === 0 ? template.name : `${template.name} #${i + 1}`,
          description: `${template.name} (${entry.category})`,
          type: entry.type,
          sku: `${entry.category.slice(0, 3).toUpperCase()}-${String(items.length + 1).padStart(4, '0')}`,
          category: { id: category.id, name: category.name },
          pricing: template.prices.map(([period, sell, cost]) => ({
            id: nestedId(data, '9c1ce0'),
            name: 'Standard',
            billing_period: period,
            sell_price: sell,
            setup_price: 0,
            cost_price: cost,
          })),
        }),
      );
    }
  }
  return items;
}

/**
 * Documents cycle through won / won / sent / draft. Odd ones quote every item at its first price, mixing
 * one-time, monthly and quarterly lines (quote sync type 1 makes one estimate per period); even ones only
 * monthly lines (a single estimate either way).
 */
function seedDocuments(
  data: ZomentumData,
  account: Account,
  clients: ClientCompany[],
  items: Item[],
  count: number,
  now: number,
): void {
  if (clients.length === 0) return;
  for (let n = 1; n <= count; n++) {
    const client = clients[(n - 1) % clients.length];
    const status = DOCUMENT_STATUS_CYCLE[(n - 1) % DOCUMENT_STATUS_CYCLE.length];
    const contacts = data.clientUsers.filter((contact) => contact.client_company_id === client.id);
    const chosen = n % 2 === 1 ? items : items.filter((item) => item.pricing.some((price) => price.billing_period === 'monthly'));
    const createdAt = now - (count - n + 2) * HOUR_MS;
    data.documents.insert({
      account_id: account.id,
      name: `Proposal for ${client.name}`,
      document_number: `Q-${String(1000 + n)}`,
      status,
      client_company_id: client.id,
      client_user_ids: contacts.map((contact) => contact.id),
      line_items: chosen.map((item, index) => {
        const price = n % 2 === 1 ? item.pricing[0] : item.pricing.find((entry) => entry.billing_period === 'monthly')!;
        return {
          id: nestedId(data, '11e100'),
          item_id: item.id,
          name: item.name,
          description: item.description,
          quantity: index + 1,
          billing_period: price.billing_period,
          sell_price: price.sell_price,
          setup_price: price.setup_price,
          cost_price: price.cost_price,
          discount: 0,
        };
      }),
      created_at: new Date(createdAt).toISOString(),
      updated_at: new Date(createdAt + (status === 'won' ? 30 * 60_000 : 0)).toISOString(),
    });
  }
}
