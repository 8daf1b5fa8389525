import type { ConnectorName } from '@junction/contracts';
import type { z } from 'zod';
import { allowsPull, allowsPush } from '../rules/direction';
import { SHOPRENTER_MINICRM_STREAMS, ShoprenterMiniCrmSettings } from './kinds/shoprenter-minicrm.settings';
import { ZOMENTUM_REPAIRSHOPR_STREAMS, ZomentumRepairShoprSettings } from './kinds/zomentum-repairshopr.settings';
import { ZZAP_RETAILCRM_STREAMS, ZzapRetailCrmSettings } from './kinds/zzap-retailcrm.settings';
import { everyMinutes, type ScheduleTiming } from './schedule-timing';

/** A stream an integration pulls, as '<connector>.<stream>', with its default timing. */
export interface StreamDefault<K extends string = string> {
  key: K;
  timing: ScheduleTiming;
}

interface KindDefinition<S extends z.ZodType, K extends string> {
  /** First connector; its connection is the integration's source connection. */
  source: ConnectorName;
  /** Second connector; its connection is the integration's target connection. */
  target: ConnectorName;
  settings: S;
  /** The streams these settings need pulled, with the defaults from the vendors' own documentation. */
  streams(settings: z.output<S>): StreamDefault<K>[];
}

const HOURLY = 60;

export const INTEGRATION_KINDS = {
  'zomentum-repairshopr': {
    source: 'zomentum',
    target: 'repairshopr',
    settings: ZomentumRepairShoprSettings,
    streams(settings) {
      const streams: StreamDefault<(typeof ZOMENTUM_REPAIRSHOPR_STREAMS)[number]>[] = [];
      // Won documents are pushed every 5 minutes; RepairShopr records are pulled hourly. With update sync, the
      // Zomentum records won documents pushed are read as often, so their changes follow.
      if (allowsPush(settings.direction)) {
        streams.push({ key: 'zomentum.documents', timing: everyMinutes(5) });
        if (settings.updateSync) {
          streams.push({ key: 'zomentum.clients', timing: everyMinutes(5) });
          if (settings.contactSync) streams.push({ key: 'zomentum.contacts', timing: everyMinutes(5) });
          if (settings.productSync) streams.push({ key: 'zomentum.products', timing: everyMinutes(5) });
        }
      }
      if (allowsPull(settings.direction)) {
        streams.push({ key: 'repairshopr.customers', timing: everyMinutes(HOURLY) });
        if (settings.contactSync) streams.push({ key: 'repairshopr.contacts', timing: everyMinutes(HOURLY) });
        if (settings.productSync) streams.push({ key: 'repairshopr.products', timing: everyMinutes(HOURLY) });
      }
      return streams;
    },
  } satisfies KindDefinition<typeof ZomentumRepairShoprSettings, (typeof ZOMENTUM_REPAIRSHOPR_STREAMS)[number]>,
  'shoprenter-minicrm': {
    source: 'shoprenter',
    target: 'minicrm',
    settings: ShoprenterMiniCrmSettings,
    streams(settings) {
      // Refreshed every night at dawn (03:00 shop time by default; editable through settings.schedules).
      return [{ key: 'shoprenter.orders', timing: { kind: 'cron', cron: '0 3 * * *', timeZone: settings.timeZone } }];
    },
  } satisfies KindDefinition<typeof ShoprenterMiniCrmSettings, (typeof SHOPRENTER_MINICRM_STREAMS)[number]>,
  'zzap-retailcrm': {
    source: 'zzap',
    target: 'retailcrm',
    settings: ZzapRetailCrmSettings,
    streams(settings) {
      const interval = everyMinutes(settings.syncIntervalMinutes);
      const streams: StreamDefault<(typeof ZZAP_RETAILCRM_STREAMS)[number]>[] = [{ key: 'zzap.orders', timing: interval }];
      // RetailCRM's order history only matters when its status changes go back to ZZap.
      if (settings.statusCrmToZzap) streams.push({ key: 'retailcrm.order_history', timing: interval });
      return streams;
    },
  } satisfies KindDefinition<typeof ZzapRetailCrmSettings, (typeof ZZAP_RETAILCRM_STREAMS)[number]>,
} as const;

export type IntegrationKind = keyof typeof INTEGRATION_KINDS;

export type SettingsOf<K extends IntegrationKind> = z.output<(typeof INTEGRATION_KINDS)[K]['settings']>;

/** Which end of an integration a connection is on. */
export type Side = 'source' | 'target';
