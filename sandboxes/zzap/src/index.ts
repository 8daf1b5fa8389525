export type { Account, OrderPart, SellerOrder, TrackCode } from './records';
export type { OrderRow } from './routes';
export { moscowTime, TRACK_CODES } from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT } from './sandbox';
export { SEEDED, SeedOptions } from './seed';
