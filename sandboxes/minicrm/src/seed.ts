import { stableSecret } from '@junction/sandbox-kit';
import { z } from 'zod';
import type { MiniCrmData } from './data';
import type { CategoryType, StatusGroup } from './records';

/** Credentials of the seeded systems, identical on every start and reset. */
export const SEEDED = {
  systemId: 12345,
  apiKey: stableSecret('minicrm/12345/api-key', 40),
  /** A second system, for isolation checks. */
  other: { systemId: 54321, apiKey: stableSecret('minicrm/54321/api-key', 40) },
};

const CATEGORY_NAMES: Record<CategoryType, string> = { Sales: 'Értékesítés', Order: 'Megrendelés', Webshop: 'Webshop' };

/** Statuses a new category of each kind starts with (our guess), with their status groups. */
export const DEFAULT_STATUSES: Record<CategoryType, Array<[string, StatusGroup]>> = {
  Sales: [
    ['Új érdeklődő', 'Lead'],
    ['Ajánlat kiküldve', 'Open'],
    ['Megnyert', 'Success'],
    ['Elveszett', 'Failed'],
  ],
  Order: [
    ['Új megrendelés', 'Open'],
    ['Feldolgozás alatt', 'Open'],
    ['Kiszállítva', 'Open'],
    ['Teljesítve', 'Success'],
    ['Sztornózva', 'Failed'],
  ],
  Webshop: [
    ['Regisztrált', 'Lead'],
    ['Vásárló', 'Open'],
    ['Törzsvásárló', 'Success'],
    ['Inaktív', 'Failed'],
  ],
};

export const WEBSHOP_BEFORE_ORDER = 'The Webshop product cannot be set up before the Order product.';

function orderBeforeWebshop(products: string[]): boolean {
  const order = products.indexOf('Order');
  const webshop = products.indexOf('Webshop');
  return webshop < 0 || (order >= 0 && order < webshop);
}

export const SeedOptions = z.object({
  /**
   * The integration products the administrator has added, in the order added. Webshop needs Order first, so
   * `["Webshop"]` or `["Webshop", "Order"]` is refused with 400.
   */
  products: z
    .array(z.enum(['Order', 'Webshop']))
    .default(['Order', 'Webshop'])
    .refine((products) => new Set(products).size === products.length, 'Each product can be added once.')
    .refine(orderBeforeWebshop, WEBSHOP_BEFORE_ORDER),
  /** Status of a bad SystemId or API key: 401 (likeliest) or 404 (what the manual literally says). */
  unauthorizedStatus: z.union([z.literal(401), z.literal(404)]).default(401),
});
export type SeedOptions = z.infer<typeof SeedOptions>;

function addCategory(data: MiniCrmData, systemId: number, type: CategoryType): void {
  const order = data.categories.count((category) => category.SystemId === systemId) + 1;
  const category = data.categories.insert({ SystemId: systemId, Name: CATEGORY_NAMES[type], Type: type, OrderId: order });
  for (const [Name, Group] of DEFAULT_STATUSES[type]) data.statuses.insert({ CategoryId: category.Id, Name, Group });
}

function seedSystem(data: MiniCrmData, systemId: number, apiKey: string, name: string, products: CategoryType[]): void {
  data.systems.insert({ Id: systemId, Name: name, ApiKey: apiKey });
  const user = data.users.insert({ SystemId: systemId, Name: 'Admin Anna' });
  for (const type of ['Sales', ...products] as CategoryType[]) addCategory(data, systemId, type);
  // An existing customer with a Sales data sheet: a webshop order must not be attached to it.
  const sales = data.categories.find((category) => category.SystemId === systemId && category.Type === 'Sales');
  const contact = data.contacts.insert({
    SystemId: systemId,
    Type: 'Person',
    FirstName: 'Péter',
    LastName: 'Kovács',
    Email: 'kovacs.peter@example.hu',
  });
  if (sales) {
    const status = data.statuses.find((candidate) => candidate.CategoryId === sales.Id);
    const sheet = { CategoryId: sales.Id, ContactId: contact.Id, StatusId: status?.Id, UserId: user.Id, Name: 'Kovács Péter – ajánlat' };
    data.projects.insert({ SystemId: systemId, ...sheet });
  }
}

export function seed(data: MiniCrmData, options: SeedOptions): void {
  data.unauthorizedStatus = options.unauthorizedStatus;
  data.orderItemSequence = 0;
  seedSystem(data, SEEDED.systemId, SEEDED.apiKey, 'Demo Kft.', options.products);
  seedSystem(data, SEEDED.other.systemId, SEEDED.other.apiKey, 'Másik Bt.', ['Order', 'Webshop']);
}
