export type { AuthMode } from './auth';
export type { LockoutPolicy } from './lockout';
export type { AccessToken, Coupon, Order, OrderProduct, OrderStatus, Shop } from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT, tokenUrlFor } from './sandbox';
export { DEFAULT_STATUSES, SEEDED, SeedOptions } from './seed';
export { orderId, orderStatusId } from './ids';
