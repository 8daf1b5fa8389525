import { z } from 'zod';
import { DEFAULT_CATEGORY_MAP, REPAIRSHOPR_FALLBACK_CATEGORY, UNMAPPED_CATEGORY_CHOICES } from '../../rules/category-map';
import { SYNC_DIRECTIONS } from '../../rules/direction';
import { scheduleOverrides } from '../schedule-timing';
import { timeZoneSetting } from '../time-zone';

/** The streams this kind pulls, as '<connector>.<stream>'. */
export const ZOMENTUM_REPAIRSHOPR_STREAMS = [
  'zomentum.documents',
  'zomentum.clients',
  'zomentum.contacts',
  'zomentum.products',
  'repairshopr.customers',
  'repairshopr.contacts',
  'repairshopr.products',
] as const;

/** Settings of a Zomentum <-> RepairShopr integration, as offered on Zomentum's RepairShopr settings screen. */
export const ZomentumRepairShoprSettings = z.strictObject({
  direction: z.enum(SYNC_DIRECTIONS).default('two_way'),
  contactSync: z.boolean().default(true),
  contactsCreatedAfter: z.iso.date().or(z.iso.datetime({ offset: true })).optional()
    .describe('only contacts created at or after this date sync'),
  productSync: z.boolean().default(true),
  productCategories: z.array(z.string().trim().min(1)).default([])
    .describe('only RepairShopr products of these categories are pulled; empty means all'),
  categoryMap: z.record(z.string().trim().min(1), z.string().trim().min(1)).default(DEFAULT_CATEGORY_MAP)
    .describe('Zomentum product category -> RepairShopr inventory category'),
  unmappedCategories: z.enum(UNMAPPED_CATEGORY_CHOICES).default('default')
    .describe('a product whose category the map does not cover: sync it under the default category, or skip it'),
  defaultCategory: z.string().trim().min(1).default(REPAIRSHOPR_FALLBACK_CATEGORY)
    .describe('the RepairShopr category of unmapped Zomentum categories (pulled ones keep their own name)'),
  quoteSyncType1: z.boolean().default(true)
    .describe('one estimate per billing period (type 1) instead of one estimate per quote (type 2)'),
  updateSync: z.boolean().default(false)
    .describe('also sync later updates of records already synced, not only their creation'),
  schedules: scheduleOverrides(ZOMENTUM_REPAIRSHOPR_STREAMS),
  timeZone: timeZoneSetting('UTC').describe('time zone of the run times shown'),
});
export type ZomentumRepairShoprSettings = z.infer<typeof ZomentumRepairShoprSettings>;
