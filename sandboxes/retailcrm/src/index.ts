export type { ApiKey, HistoryRecord, Order, OrderItem, OrderStatus, Product, Site } from './records';
export { STATUSES } from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT } from './sandbox';
export { SEEDED, SeedOptions } from './seed';
