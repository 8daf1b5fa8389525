// Zomentum record shapes. Only create-body fragments are public (shared/vendor-apis/repairshopr-zomentum.md, part B);
// fields beyond them are our guesses, kept few and in Zomentum's snake_case style.

/** A Zomentum tenant; the API is only available on the Growth plan. */
export interface Account {
  id: string;
  name: string;
  plan: 'growth' | 'starter';
}

export interface User {
  id: string;
  account_id: string;
  name: { first: string; last: string };
  email: string;
  role: 'admin' | 'api_user';
}

/**
 * The token pair of an API user (Settings > Users > Generate token). Issuing an access token replaces the
 * previous one, which stops working at once; the refresh token stays the same.
 */
export interface ApiCredential {
  id: string;
  account_id: string;
  user_id: string;
  refresh_token: string;
  access_token: string;
  access_token_expires_at: string;
  /** How many access tokens this pair has issued; names the next one. */
  generation: number;
}

export interface Address {
  address_line_1: string | null;
  address_line_2: string | null;
  city: string | null;
  state: string | null;
  zip_code: string | null;
  country: string | null;
}

/** A client (company) — RepairShopr's customer. */
export interface ClientCompany {
  id: string;
  account_id: string;
  name: string;
  company_type: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  billing_address: Address;
  created_at: string;
  updated_at: string;
}

/** A client user (contact); note the name object. */
export interface ClientUser {
  id: string;
  account_id: string;
  client_company_id: string;
  name: { first: string; last: string | null };
  email: string | null;
  phone: string | null;
  contact_type: string;
  created_at: string;
  updated_at: string;
}

export interface ItemCategory {
  id: string;
  account_id: string;
  name: string;
  /** Hardware, Software, Service and Labor come with every account; others are user-added. */
  is_default: boolean;
  created_at: string;
  updated_at: string;
}

export const BILLING_PERIODS = [
  'one_time',
  'weekly',
  'monthly',
  'quarterly',
  'semi_annually',
  'annually',
  'biennially',
  'triennially',
] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

/** One price of an item: an item may be sold one-time and monthly, each with its own prices. */
export interface Pricing {
  id: string;
  name: string;
  billing_period: BillingPeriod;
  sell_price: number;
  setup_price: number;
  cost_price: number;
}

/** A product ("item"). */
export interface Item {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  type: 'product' | 'service';
  sku: string | null;
  category: { id: string; name: string } | null;
  pricing: Pricing[];
  item_images: string[];
  created_at: string;
  updated_at: string;
}

export const DOCUMENT_STATUSES = ['draft', 'sent', 'viewed', 'approved', 'declined', 'won', 'lost', 'expired'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export interface DocumentLineItem {
  id: string;
  item_id: string | null;
  name: string;
  description: string | null;
  quantity: number;
  billing_period: BillingPeriod;
  sell_price: number;
  setup_price: number;
  cost_price: number;
  /** An absolute discount on the whole line. */
  discount: number;
}

/** A document (quote/proposal). `status` becomes `won` when the deal is marked won. */
export interface QuoteDocument {
  id: string;
  account_id: string;
  name: string;
  document_number: string;
  status: DocumentStatus;
  client_company_id: string;
  client_user_ids: string[];
  opportunity_id: string | null;
  currency_code: string;
  line_items: DocumentLineItem[];
  total: number;
  created_at: string;
  updated_at: string;
}

const BLANK_ADDRESS: Address = { address_line_1: null, address_line_2: null, city: null, state: null, zip_code: null, country: null };

export function completeClientCompany(record: Record<string, unknown>): ClientCompany {
  const company = { company_type: 'customer', email: null, phone: null, website: null, ...(record as Partial<ClientCompany>) };
  return { ...company, billing_address: { ...BLANK_ADDRESS, ...company.billing_address } } as ClientCompany;
}

export function completeClientUser(record: Record<string, unknown>): ClientUser {
  const user = { email: null, phone: null, contact_type: 'secondary_contact', ...(record as Partial<ClientUser>) };
  return { ...user, name: { first: '', last: null, ...user.name } } as ClientUser;
}

export function completeItem(record: Record<string, unknown>): Item {
  return { description: null, sku: null, category: null, item_images: [], pricing: [], ...(record as Partial<Item>) } as Item;
}

/** The total follows the lines: quantity × (sell + setup price) − discount, over every line. */
export function completeDocument(record: Record<string, unknown>): QuoteDocument {
  const defaults = { client_user_ids: [], opportunity_id: null, currency_code: 'USD', line_items: [] };
  const document = { ...defaults, ...(record as Partial<QuoteDocument>) };
  const lineTotal = (line: DocumentLineItem) => line.quantity * (line.sell_price + line.setup_price) - line.discount;
  const total = document.line_items.reduce((sum, line) => sum + lineTotal(line), 0);
  return { ...document, total: Math.round(total * 100) / 100 } as QuoteDocument;
}
