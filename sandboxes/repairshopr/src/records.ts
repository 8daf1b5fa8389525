import { stableSecret } from '@junction/sandbox-kit';

// Record shapes as RepairShopr's API v1 returns them (swagger examples and live observations in
// shared/vendor-apis/repairshopr-zomentum.md). `account_id` scopes every record to a subdomain; the routes
// leave it out where the real API does not show it.

export interface Account {
  id: number;
  subdomain: string;
  business_name: string;
}

export interface User {
  id: number;
  account_id: number;
  email: string;
  full_name: string;
  group: string;
  admin: boolean;
  /** `user_token` of GET /me (not an API key). */
  user_token: string;
}

/** An API token (Admin > API Tokens): a secret with a permission set and an optional expiry. */
export interface ApiToken {
  id: number;
  account_id: number;
  user_id: number;
  name: string;
  token: string;
  /** Permission names as RepairShopr's token screen lists them, e.g. `Customers - List/Search`. */
  permissions: string[];
  expires_at: string | null;
}

export interface Customer {
  id: number;
  account_id: number;
  firstname: string | null;
  lastname: string | null;
  fullname: string;
  business_name: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  created_at: string;
  updated_at: string;
  pdf_url: string | null;
  address: string | null;
  address_2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
  notes: string | null;
  get_sms: boolean;
  opt_out: boolean;
  disabled: boolean;
  no_email: boolean;
  location_name: string | null;
  location_id: number | null;
  properties: Record<string, unknown>;
  online_profile_url: string | null;
  tax_rate_id: number | null;
  notification_email: string | null;
  invoice_cc_emails: string | null;
  invoice_term_id: number | null;
  referred_by: string | null;
  ref_customer_id: number | null;
  business_and_full_name: string;
  business_then_name: string;
}

export interface Contact {
  id: number;
  account_id: number;
  customer_id: number;
  name: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  zip: string | null;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  latitude: number | null;
  longitude: number | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  vendor_id: number | null;
  properties: Record<string, unknown>;
  opt_out: boolean;
  extension: string | null;
  processed_phone: string | null;
  processed_mobile: string | null;
}

export interface ProductCategory {
  id: number;
  account_id: number;
  /** Rails ancestry path of the parents' ids (`"3"`, `"3/7"`); null for a root category. */
  ancestry: string | null;
  name: string;
  description: string | null;
  device_product_id: number | null;
  /** The full path name, e.g. `Hardware > Cables`. */
  names_depth_cache: string;
}

/** Products carry no created/updated times at all (observed live), so they cannot be pulled incrementally. */
export interface Product {
  id: number;
  account_id: number;
  price_cost: number;
  price_retail: number;
  condition: string | null;
  description: string;
  maintain_stock: boolean;
  name: string;
  quantity: number;
  warranty: string | null;
  sort_order: number | null;
  reorder_at: number | null;
  disabled: boolean;
  taxable: boolean;
  product_category: string | null;
  category_path: string | null;
  upc_code: string | null;
  discount_percent: number | null;
  warranty_template_id: number | null;
  qb_item_id: number | null;
  desired_stock_level: number | null;
  price_wholesale: number;
  notes: string | null;
  tax_rate_id: number | null;
  physical_location: string | null;
  serialized: boolean;
  vendor_ids: number[];
  long_description: string | null;
  location_quantities: unknown[];
  photos: unknown[];
}

export interface Estimate {
  id: number;
  account_id: number;
  customer_id: number;
  name: string | null;
  number: string;
  status: string;
  date: string;
  note: string | null;
  ticket_id: number | null;
  location_id: number | null;
  contact_id: number | null;
  invoice_id: number | null;
  /** The creating user's email. */
  employee: string;
  created_at: string;
  updated_at: string;
}

/** Money and quantities are decimal strings on line items (`"9.99"`, `"1.0"`). */
export interface LineItem {
  id: number;
  account_id: number;
  estimate_id: number;
  item: string;
  name: string | null;
  cost: string;
  price: string;
  quantity: string;
  product_id: number | null;
  product_category: string | null;
  taxable: boolean;
  discount_percent: number | null;
  discount_dollars: number | null;
  position: number;
  invoice_id: number | null;
  invoice_bundle_id: number | null;
  created_at: string;
  updated_at: string;
}

/** The customer's portal link; the portal key is stable per shop and customer number. */
export function profileUrl(account: Account, customerNumber: number): string {
  const portalKey = stableSecret(`${account.subdomain}/${customerNumber}`, 20);
  return `https://${account.subdomain}.repairshopr.com/my_profile/v2/index?portal_key=${portalKey}`;
}

export const CUSTOMER_DEFAULTS = {
  firstname: null,
  lastname: null,
  business_name: null,
  email: null,
  phone: null,
  mobile: null,
  pdf_url: null,
  address: null,
  address_2: null,
  city: null,
  state: null,
  zip: null,
  latitude: null,
  longitude: null,
  notes: null,
  get_sms: false,
  opt_out: false,
  disabled: false,
  no_email: false,
  location_name: null,
  location_id: null,
  properties: {},
  online_profile_url: null,
  tax_rate_id: null,
  notification_email: null,
  invoice_cc_emails: null,
  invoice_term_id: null,
  referred_by: null,
  ref_customer_id: null,
} satisfies Partial<Customer>;

/** Fills defaults and the derived name fields, which follow firstname/lastname/business_name on every change. */
export function completeCustomer(record: Record<string, unknown>): Customer {
  const customer = { ...CUSTOMER_DEFAULTS, ...(record as Partial<Customer>) } as Customer;
  const fullname = [customer.firstname, customer.lastname].filter(Boolean).join(' ');
  return {
    ...customer,
    fullname,
    business_then_name: customer.business_name || fullname,
    business_and_full_name: customer.business_name ? `${customer.business_name} - ${fullname}` : fullname,
  };
}

export const CONTACT_DEFAULTS = {
  name: null,
  address1: null,
  address2: null,
  city: null,
  state: null,
  zip: null,
  email: null,
  phone: null,
  mobile: null,
  latitude: null,
  longitude: null,
  notes: null,
  vendor_id: null,
  properties: {},
  opt_out: false,
  extension: null,
} satisfies Partial<Contact>;

/** `processed_*` are the phone numbers with formatting stripped (seen on live contacts). */
export function completeContact(record: Record<string, unknown>): Contact {
  const contact = { ...CONTACT_DEFAULTS, ...(record as Partial<Contact>) } as Contact;
  return { ...contact, processed_phone: digitsOf(contact.phone), processed_mobile: digitsOf(contact.mobile) };
}

function digitsOf(phone: string | null): string | null {
  return phone ? phone.replace(/\D/g, '') || null : null;
}

export const PRODUCT_DEFAULTS = {
  price_cost: 0,
  price_retail: 0,
  condition: null,
  maintain_stock: false,
  quantity: 0,
  warranty: null,
  sort_order: null,
  reorder_at: null,
  disabled: false,
  taxable: true,
  product_category: null,
  category_path: null,
  upc_code: null,
  discount_percent: null,
  warranty_template_id: null,
  qb_item_id: null,
  desired_stock_level: null,
  price_wholesale: 0,
  notes: null,
  tax_rate_id: null,
  physical_location: null,
  serialized: false,
  vendor_ids: [],
  long_description: null,
  location_quantities: [],
  photos: [],
} satisfies Partial<Product>;

export function completeProduct(record: Record<string, unknown>): Product {
  return { ...PRODUCT_DEFAULTS, ...(record as Partial<Product>) } as Product;
}
