import { stableSecret } from '@junction/sandbox-kit';
import { z } from 'zod';
import type { RetailCrmData } from './data';
import { createOrder } from './orders';
import { SCOPES, type Offer, type Product } from './records';

/** Credentials and codes every start and reset seeds, so docs and tests can name them. */
export const SEEDED = {
  sites: { zzap: 'zzap-parts', website: 'website' },
  apiKeys: {
    /** Junction's own key: both sites. */
    junction: stableSecret('retailcrm/junction', 32),
    /** Another integration (a warehouse system) writing through the API: all sites. */
    warehouse: stableSecret('retailcrm/warehouse', 32),
    /** A key limited to the website site only. */
    websiteOnly: stableSecret('retailcrm/website-only', 32),
    /** A key that may read orders and references but not write orders (nor read the catalogue): both sites. */
    readOnly: stableSecret('retailcrm/read-only', 32),
  },
  /** A CRM manager who changes orders in the UI. */
  userId: 7,
  warehouse: 'main',
} as const;

export const SeedOptions = z.object({
  /** Catalogue products, each with one offer: article `ART-<n>`, externalId `ext-<n>`. */
  products: z.number().int().min(0).max(1000).default(5),
  /** Orders on the website site made by the warehouse key, so history starts non-empty. */
  orders: z.number().int().min(0).max(1000).default(2),
});
export type SeedOptions = z.infer<typeof SeedOptions>;

function product(n: number): Partial<Product> {
  const name = `Brake pad set ${n}`;
  const price = 1000 + n * 10;
  const offer: Offer = { id: 1000 + n, externalId: `ext-${n}`, xmlId: `xml-${n}`, article: `ART-${n}`, name, price, quantity: 5, active: true };
  return {
    externalId: `ext-${n}`,
    article: `ART-${n}`,
    name,
    manufacturer: 'Bosch',
    active: true,
    quantity: 5,
    minPrice: price,
    maxPrice: price,
    type: 'product',
    offers: [offer],
  };
}

export function seed(data: RetailCrmData, options: SeedOptions): void {
  data.sites.insert({ code: SEEDED.sites.zzap, name: 'ZZap parts', url: 'https://zzap.example', countryIso: 'RU', currency: 'RUB', defaultForCrm: true });
  data.sites.insert({ code: SEEDED.sites.website, name: 'Website', url: 'https://shop.example', countryIso: 'RU', currency: 'RUB', defaultForCrm: false });
  data.warehouses.insert({ code: SEEDED.warehouse, name: 'Main warehouse', type: 'store-type-warehouse', active: true });
  const bothSites = [SEEDED.sites.zzap, SEEDED.sites.website];
  const allScopes = [...SCOPES];
  data.apiKeys.insert({ key: SEEDED.apiKeys.junction, name: 'junction', sites: bothSites, scopes: allScopes });
  const warehouseKey = data.apiKeys.insert({ key: SEEDED.apiKeys.warehouse, name: 'warehouse system', sites: null, scopes: allScopes });
  data.apiKeys.insert({ key: SEEDED.apiKeys.websiteOnly, name: 'website', sites: [SEEDED.sites.website], scopes: allScopes });
  data.apiKeys.insert({ key: SEEDED.apiKeys.readOnly, name: 'reporting', sites: bothSites, scopes: ['order_read', 'reference_read'] });
  data.users.insert({ id: SEEDED.userId, firstName: 'Ivan', lastName: 'Petrov' });
  for (let n = 1; n <= options.products; n++) data.products.insert(product(n));
  for (let n = 1; n <= options.orders; n++) {
    createOrder(data, { site: SEEDED.sites.website, externalId: `web-${n}`, firstName: `Buyer ${n}`, items: [] }, { source: 'api', apiKeyId: warehouseKey.id });
  }
}
