/** Records in RetailCRM's own shape (API v5 field names), plus scoping fields the routes leave out. */

export interface ApiKey {
  id: number;
  key: string;
  /** Who uses it, for people reading state: "junction", "warehouse system"… */
  name: string;
  /** Site codes the key may reach ("access_selective"), or null for all sites ("access_full"). */
  sites: string[] | null;
  /** What the key may do (`order_read`, `order_write`…), as `/api/credentials` lists them. */
  scopes: Scope[];
}

/** The scopes the simulated methods need; RetailCRM has more (customers, payments, telephony…). */
export const SCOPES = ['order_read', 'order_write', 'store_read', 'reference_read'] as const;
export type Scope = (typeof SCOPES)[number];

export interface User {
  id: number;
  firstName: string;
  lastName: string;
}

export interface Site {
  id: number;
  code: string;
  name: string;
  url: string;
  countryIso: string;
  currency: string;
  defaultForCrm: boolean;
}

/** A warehouse (склад): `/reference/stores`, not the same thing as a site. */
export interface Warehouse {
  id: number;
  code: string;
  name: string;
  type: string;
  active: boolean;
}

export interface Offer {
  id: number;
  externalId: string | null;
  xmlId: string | null;
  article: string | null;
  name: string;
  price: number;
  quantity: number;
  active: boolean;
}

export interface Product {
  id: number;
  externalId: string | null;
  article: string | null;
  name: string;
  manufacturer: string | null;
  active: boolean;
  quantity: number;
  minPrice: number;
  maxPrice: number;
  type: 'product';
  offers: Offer[];
}

export interface OrderItem {
  id: number;
  initialPrice: number;
  discountTotal: number;
  quantity: number;
  status: string;
  comment: string;
  productName: string;
  prices: Array<{ price: number; quantity: number }>;
  createdAt: string;
  /** Set when the item references a catalogue offer; a free-text item has none. */
  offer?: { id: number; externalId: string | null; xmlId: string | null; article: string | null; name: string };
}

export interface Order {
  id: number;
  slug: number;
  number: string;
  externalId?: string;
  site: string;
  status: string;
  statusComment: string;
  statusUpdatedAt: string;
  createdAt: string;
  orderMethod: string;
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
  customerComment: string;
  managerComment: string;
  managerId: number | null;
  summ: number;
  totalSumm: number;
  currency: string;
  fromApi: boolean;
  items: OrderItem[];
  payments: Record<string, unknown>;
  customFields: Record<string, unknown>;
}

/** Who made a change, stored with each history record; the API shows it as `source`, `apiKey` and `user`. */
export type Author = { source: 'api'; apiKeyId: number } | { source: 'user'; userId: number };

export interface HistoryRecord {
  id: number;
  createdAt: string;
  created?: true;
  source: Author['source'];
  field: string;
  oldValue: unknown;
  newValue: unknown;
  order: Partial<Order>;
  /** Scoping fields: the author's key (source api) or user (source user), and the order's site. */
  apiKeyId: number | null;
  userId: number | null;
  site: string;
}

export interface OrderStatus {
  code: string;
  name: string;
  group: string;
  ordering: number;
  active: boolean;
}

/** A default status list of a fresh account (codes as RetailCRM ships them; the full list is our guess). */
export const STATUSES: OrderStatus[] = [
  { code: 'new', name: 'Новый', group: 'new', ordering: 10, active: true },
  { code: 'client-confirmed', name: 'Согласовано с клиентом', group: 'approval', ordering: 30, active: true },
  { code: 'prepayed', name: 'Предоплата поступила', group: 'approval', ordering: 40, active: true },
  { code: 'assembling', name: 'Комплектуется', group: 'assembling', ordering: 50, active: true },
  { code: 'assembling-complete', name: 'Укомплектован', group: 'assembling', ordering: 60, active: true },
  { code: 'send-to-delivery', name: 'Передан в доставку', group: 'delivery', ordering: 70, active: true },
  { code: 'delivering', name: 'Доставляется', group: 'delivery', ordering: 80, active: true },
  { code: 'complete', name: 'Выполнен', group: 'complete', ordering: 90, active: true },
  { code: 'cancel-other', name: 'Отменен', group: 'cancel', ordering: 100, active: true },
];

export const STATUS_GROUPS = ['new', 'approval', 'assembling', 'delivery', 'complete', 'cancel'];

/** The account's time zone (`GET /settings`); every DateTime the API shows is local to it. */
export const ACCOUNT_TIME_ZONE = 'UTC';

/** RetailCRM's DateTime: `Y-m-d H:i:s`, account-local without a zone (the account's zone is UTC here). */
export function formatDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
