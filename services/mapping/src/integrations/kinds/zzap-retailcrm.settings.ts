import { OrderStatus } from '@junction/contracts';
import { z } from 'zod';
import { describeStatusMapDuplicates } from '../../rules/status-map';
import { scheduleOverrides } from '../schedule-timing';
import { timeZoneSetting } from '../time-zone';

/** The intervals the ZZap module offers in its drop-down, in minutes. */
export const SYNC_INTERVALS_MINUTES = [5, 10, 15, 30, 60, 180, 360, 720, 1440] as const;

export const PRODUCT_MATCHING = ['article', 'external_id', 'none'] as const;

const StatusPair = z.strictObject({
  retailcrm: OrderStatus.describe('RetailCRM order status: its code and name'),
  zzap: OrderStatus.describe('ZZap order status: its code_track and name'),
});

/** The streams this kind pulls, as '<connector>.<stream>'. */
export const ZZAP_RETAILCRM_STREAMS = ['zzap.orders', 'retailcrm.order_history'] as const;

/** Settings of a ZZap <-> RetailCRM integration (the RetailCRM ZZap module's settings and status tab). */
export const ZzapRetailCrmSettings = z
  .strictObject({
    storeCode: z.string().trim().min(1).describe('the RetailCRM store this ZZap account feeds; one store = one account'),
    productMatching: z.enum(PRODUCT_MATCHING).default('article')
      .describe('match products by article (part number), by external id, or not at all'),
    syncIntervalMinutes: z
      .union(SYNC_INTERVALS_MINUTES.map((minutes) => z.literal(minutes)))
      .default(15)
      .describe(`how often ZZap is polled, one of ${SYNC_INTERVALS_MINUTES.join(', ')} minutes`),
    statusZzapToCrm: z.boolean().default(true).describe('flag 1: ZZap status changes update RetailCRM'),
    statusCrmToZzap: z.boolean().default(false).describe('flag 2: RetailCRM status changes update ZZap'),
    processApiChanges: z.boolean().default(false)
      .describe('flag 3: also forward RetailCRM status changes other services made through its API (needs flag 2)'),
    statusMap: z.array(StatusPair).default([]).describe('RetailCRM status <-> ZZap status, strictly 1 to 1'),
    schedules: scheduleOverrides(ZZAP_RETAILCRM_STREAMS),
    timeZone: timeZoneSetting('Europe/Moscow').describe('time zone in which "last sync time" is shown'),
  })
  .superRefine((settings, ctx) => {
    if (settings.processApiChanges && !settings.statusCrmToZzap) {
      ctx.addIssue({
        code: 'custom',
        path: ['processApiChanges'],
        message: 'processing API changes is only available when statusCrmToZzap is on',
      });
    }
    const duplicates = describeStatusMapDuplicates(settings.statusMap);
    if (duplicates) ctx.addIssue({ code: 'custom', path: ['statusMap'], message: duplicates });
  });
export type ZzapRetailCrmSettings = z.infer<typeof ZzapRetailCrmSettings>;
