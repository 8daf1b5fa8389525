export { PERMISSIONS, type Permission } from './auth';
export type { PageSizes } from './data';
export type { ApiToken, Contact, Customer, Estimate, LineItem, Product, ProductCategory } from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT } from './sandbox';
export { SEEDED, SeedOptions } from './seed';
