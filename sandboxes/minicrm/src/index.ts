export type { Category, CategoryType, Contact, Order, OrderItem, OrderStatus, Project, Status, StatusGroup, System } from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT, orderUrlFor } from './sandbox';
export { DEFAULT_STATUSES, SEEDED, SeedOptions, WEBSHOP_BEFORE_ORDER } from './seed';
