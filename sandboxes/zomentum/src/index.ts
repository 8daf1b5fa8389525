export {
  BILLING_PERIODS,
  DOCUMENT_STATUSES,
  type BillingPeriod,
  type ClientCompany,
  type ClientUser,
  type DocumentStatus,
  type Item,
  type ItemCategory,
  type Pricing,
  type QuoteDocument,
} from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT } from './sandbox';
export { SEEDED, SeedOptions } from './seed';
