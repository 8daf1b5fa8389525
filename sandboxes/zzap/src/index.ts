export type { Account, SellerOrder, TrackCode } from './records';
export { moscowTime, TRACK_CODES } from './records';
export { baseUrlFor, createSandbox, DEFAULT_PORT } from './sandbox';
export { SEEDED, SeedOptions } from './seed';
