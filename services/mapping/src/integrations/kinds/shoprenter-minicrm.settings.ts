import { OrderStatus } from '@junction/contracts';
import { z } from 'zod';
import { scheduleOverrides } from '../schedule-timing';
import { timeZoneSetting } from '../time-zone';

/** The streams this kind pulls, as '<connector>.<stream>'. */
export const SHOPRENTER_MINICRM_STREAMS = ['shoprenter.orders'] as const;

/** Settings of a Shoprenter -> MiniCRM integration (the MiniCRM "Webshop" product's settings). */
export const ShoprenterMiniCrmSettings = z.strictObject({
  statusMap: z.record(z.string().trim().min(1), OrderStatus).default({})
    .describe('Shoprenter order status id -> MiniCRM order status; every Shoprenter status must be mapped'),
  disableProjects: z.boolean().default(false)
    .describe('the Webshop product only receives data from outside: "Sync" replaces "New data sheet"'),
  schedules: scheduleOverrides(SHOPRENTER_MINICRM_STREAMS),
  timeZone: timeZoneSetting('Europe/Budapest').describe('time zone of the nightly sync and of the run times shown'),
});
export type ShoprenterMiniCrmSettings = z.infer<typeof ShoprenterMiniCrmSettings>;
