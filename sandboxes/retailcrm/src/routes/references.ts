import { json, type Router } from '@junction/sandbox-kit';
import { canReach, reachableSites, withKey } from '../api';
import type { RetailCrmData } from '../data';
import { ACCOUNT_TIME_ZONE, STATUS_GROUPS, STATUSES } from '../records';

/** When the seeded account's settings were last saved (a fixed, made-up date). */
const SETTINGS_UPDATED_AT = '2024-01-15 10:00:00';

function statusGroups() {
  return Object.fromEntries(
    STATUS_GROUPS.map((code, index) => [
      code,
      {
        code,
        name: code,
        active: true,
        ordering: (index + 1) * 10,
        process: code !== 'complete' && code !== 'cancel',
        statuses: STATUSES.filter((status) => status.group === code).map((status) => status.code),
      },
    ]),
  );
}

export function referenceRoutes(api: Router<RetailCrmData>): void {
  // Maps keyed by code, not arrays, as RetailCRM answers them.
  api.get(
    '/reference/sites',
    withKey((_request, data, key) => {
      const sites = data.sites.filter((site) => canReach(key, site.code));
      return json(200, { success: true, sites: Object.fromEntries(sites.map((site) => [site.code, site])) });
    }, 'reference_read'),
  );
  api.get('/reference/stores', withKey((_request, data) => json(200, { success: true, stores: data.warehouses.all() }), 'reference_read'));
  api.get(
    '/reference/statuses',
    withKey(() => json(200, { success: true, statuses: Object.fromEntries(STATUSES.map((status) => [status.code, status])) }), 'reference_read'),
  );
  api.get('/reference/status-groups', withKey(() => json(200, { success: true, statusGroups: statusGroups() }), 'reference_read'));
  // System settings: the account's currency, language and time zone, to which every DateTime of the API is local.
  api.get(
    '/settings',
    withKey(() => {
      const node = (value: string) => ({ value, updated_at: SETTINGS_UPDATED_AT });
      const settings = { default_currency: node('RUB'), system_language: node('RU'), timezone: node(ACCOUNT_TIME_ZONE), work_times: [], non_working_days: [] };
      return json(200, { success: true, settings });
    }),
  );
}

/** `/api/credentials` (no version prefix): a connector's cheap "test connection" call. */
export function credentialsRoutes(api: Router<RetailCrmData>): void {
  api.get(
    '/credentials',
    withKey((_request, data, key) =>
      json(200, {
        success: true,
        scopes: key.scopes,
        credentials: [],
        siteAccess: key.sites === null ? 'access_full' : 'access_selective',
        sitesAvailable: reachableSites(key, data),
      }),
    ),
  );
}
